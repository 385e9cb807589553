import path from "node:path";
import { MessageChannel, Worker, type MessagePort, type ResourceLimits } from "node:worker_threads";
import type { ThreadData } from "./thread-protocol/input.js";

// Node 20 ignores `--import tsx` in a Worker's execArgv for the entry module, so a tiny script
// registers tsx's ESM and CommonJS hooks inside the thread first, then imports the real entry.
// (The CommonJS hooks matter: a .ts file outside a "type": "module" package loads as CommonJS.)
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
(async () => {
  if (workerData.tsx) {
    const [esm, cjs] = await Promise.all([import(workerData.tsx.esmApiUrl), import(workerData.tsx.cjsApiUrl)]);
    esm.register();
    cjs.register();
  }
  await import(workerData.entryUrl);
})();
`;

// Under vitest this file is src/thread-bootstrap.ts and the entry is .ts; built, both are .js.
const ownExtension = path.extname(new URL(import.meta.url).pathname);
const entryUrl = new URL(`./thread/thread-main${ownExtension}`, import.meta.url).href;

const TYPESCRIPT_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".tsx"]);

/** A started trial thread and the main thread's end of its call channel. */
export interface SpawnedThread {
  worker: Worker;
  /** Where CallReply messages are posted. */
  callPort: MessagePort;
  /** Int32 flag set (and notified) after each CallReply. */
  callFlag: Int32Array;
}

/**
 * Starts a thread that loads the objective module. tsx is registered in the thread only when
 * TypeScript must load there (a .ts objective, or this package running from its .ts sources),
 * because it costs a few hundred milliseconds per thread.
 */
export function spawnTrialThread(objectiveUrl: string, resourceLimits: ResourceLimits): SpawnedThread {
  const needsTsx =
    TYPESCRIPT_EXTENSIONS.has(ownExtension) || TYPESCRIPT_EXTENSIONS.has(path.extname(new URL(objectiveUrl).pathname));
  const { port1, port2 } = new MessageChannel();
  const callSignal = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const data: ThreadData = {
    entryUrl,
    tsx: needsTsx
      ? { esmApiUrl: import.meta.resolve("tsx/esm/api"), cjsApiUrl: import.meta.resolve("tsx/cjs/api") }
      : null,
    objectiveUrl,
    callSignal,
    callPort: port2,
  };
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: data, transferList: [port2], resourceLimits });
  return { worker, callPort: port1, callFlag: new Int32Array(callSignal) };
}
