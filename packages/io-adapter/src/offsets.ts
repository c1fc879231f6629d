/**
 * Creates a generator of offsets for the broadcast log: short strings, unique within the process
 * and, thanks to the start-time prefix, distinct from those of a previous run of the server, so a
 * client holding an offset from before a restart is never mistaken for an up-to-date one.
 */
export function createOffsetGenerator(): () => string {
  const prefix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}-`;
  let sequence = 0;
  return () => prefix + (sequence++).toString(36);
}
