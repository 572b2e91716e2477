/**
 * Bumped on any incompatible change to a message shape; the host and the extension refuse a
 * different one. 2: Integra's open became a host → extension request (shared/protocol/README.md).
 */
export const PROTOCOL_VERSION = 2;

/**
 * The oldest protocol a CLI (or a script) may speak: everything a CLI sends or hears is unchanged
 * since then, so an older `voispeed` keeps working with a newer host.
 */
export const MIN_CLI_PROTOCOL = 1;

/** Name of the native-messaging host, as registered in host manifests. */
export const NATIVE_HOST_NAME = 'voispeed.ui';

/** Host → browser frames above this are refused by Chrome (1 MB). */
export const MAX_OUTGOING_FRAME_BYTES = 1024 * 1024;

/** Browser/CLI → host frames above this are answered with FRAME_TOO_LARGE and skipped. */
export const MAX_INCOMING_FRAME_BYTES = 4 * 1024 * 1024;

/**
 * A declared length above this cannot come from a browser (Chrome caps at 64 MiB): the stream is
 * treated as corrupt and closed rather than skipped.
 */
export const MAX_SKIPPABLE_FRAME_BYTES = 64 * 1024 * 1024;
