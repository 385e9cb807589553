/**
 * The suggestions a thread answered by itself (from its PresampledAnswers) and the main thread
 * has not yet replayed on the real trial, in the order they were answered.
 *
 * It lives in shared memory rather than in messages so that nothing is lost when no message
 * will come: a trial that times out or crashes right after a local answer still gets that
 * param recorded, as it did when every suggestion was a round trip.
 *
 * Who writes when: the thread appends while its objective runs; the main thread drains only
 * while the thread cannot append (blocked in a synchronous call, done with its trial, or gone),
 * so the two never write at once.
 */

/** Layout: Int32 cells `[count, position 0, position 1, ...]`; positions index `PresampledAnswers.answers`. */
export class AnswerLog {
  /**
   * Entries before the thread must take a round trip, which drains the log. Repeats of a name
   * count too, so a tight loop of suggestions still reaches the real trial now and then.
   */
  static readonly CAPACITY = 256;

  private readonly cells: Int32Array;

  /** Opens a log on `buffer`, or on new (empty) shared memory. */
  constructor(readonly buffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (1 + AnswerLog.CAPACITY))) {
    this.cells = new Int32Array(buffer);
  }

  /** Thread side: logs an answer; false when the log is full (then answer by round trip instead). */
  append(position: number): boolean {
    const count = Atomics.load(this.cells, 0);
    if (count + 1 >= this.cells.length) return false;
    // The entry first, then the count: a thread killed in between has not answered yet.
    Atomics.store(this.cells, count + 1, position);
    Atomics.store(this.cells, 0, count + 1);
    return true;
  }

  /** Main thread side: the positions logged so far, oldest first; empties the log. */
  drain(): number[] {
    const count = Atomics.load(this.cells, 0);
    if (count === 0) return [];
    const positions = Array.from(this.cells.subarray(1, count + 1));
    Atomics.store(this.cells, 0, 0);
    return positions;
  }
}
