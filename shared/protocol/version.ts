/** Bumped on any incompatible change to a message shape; both sides refuse a different one. */
export const PROTOCOL_VERSION = 1;

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
