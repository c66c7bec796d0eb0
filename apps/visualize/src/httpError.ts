import path from "node:path";

/** An error whose message is safe and useful to show, with its HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A data path recorded in a checkpoint, made absolute: a path written
 * relative (by an older run) is taken relative to the checkpoint's own
 * directory, never to wherever the server was started.
 *
 * @throws HttpError 404 naming the recorded path when nothing is there.
 */
export function recordedPath(checkpointFile: string, recorded: string, what: string, exists: (p: string) => boolean): string {
  const absolute = path.resolve(path.dirname(checkpointFile), recorded);
  if (!exists(absolute)) {
    const where = path.isAbsolute(recorded) ? recorded : `${recorded} (relative to the checkpoint: ${absolute})`;
    throw new HttpError(404, `${what} ${where} does not exist on this machine`);
  }
  return absolute;
}
