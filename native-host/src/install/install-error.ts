/**
 * A failure the user can act on, worded as one line. The CLI turns it into `voispeed: <message>`;
 * the programmatic API lets it propagate so tests and scripts see the same words.
 */
export class InstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstallError';
  }
}
