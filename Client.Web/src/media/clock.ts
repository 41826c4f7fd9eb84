/**
 * Places a worklet's context time on the page's wall clock (ms since the Unix epoch): a message posted at context
 * time `postedAt` and received now says that `contextTime` happened `(postedAt - contextTime)` seconds before now.
 * The message's own trip to the main thread (well under a millisecond) is the only error, and no output-latency
 * estimate is involved.
 */
export function contextTimeToWallMs(contextTime: number, postedAt: number): number {
  return performance.timeOrigin + performance.now() - (postedAt - contextTime) * 1000;
}
