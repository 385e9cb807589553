import { describe, expect, it } from "vitest";
import { SlotGate } from "./slot-gate.js";

describe("SlotGate", () => {
  it("hands out its slots, then queues callers first come first served", async () => {
    const gate = new SlotGate(2);
    await gate.acquire();
    await gate.acquire();
    expect(gate.busy).toBe(2);
    const order: string[] = [];
    const a = gate.acquire().then(() => order.push("a"));
    const b = gate.acquire().then(() => order.push("b"));
    expect(gate.queued).toBe(2);
    gate.release();
    await a;
    expect(order).toEqual(["a"]);
    // The freed slot went to "a": still two held, "b" still waits.
    expect(gate.busy).toBe(2);
    expect(gate.queued).toBe(1);
    gate.release();
    await b;
    gate.release();
    gate.release();
    expect(gate.busy).toBe(0);
  });

  it("close() rejects the waiting callers and every later one; held slots stay held", async () => {
    const gate = new SlotGate(1);
    await gate.acquire();
    const waiting = gate.acquire();
    const reason = new Error("draining");
    gate.close(reason);
    await expect(waiting).rejects.toBe(reason);
    await expect(gate.acquire()).rejects.toBe(reason);
    expect(gate.busy).toBe(1);
    gate.release();
    expect(gate.busy).toBe(0);
  });
});
