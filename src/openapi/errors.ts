/** A spec that cannot be loaded or understood. Carries where, so the CLI can say it in one line. */
export class SpecError extends Error {
  override readonly name = "SpecError";
  constructor(
    message: string,
    readonly source: string,
    readonly pointer = "",
  ) {
    super(pointer ? `${source}#${pointer}: ${message}` : `${source}: ${message}`);
  }
}
