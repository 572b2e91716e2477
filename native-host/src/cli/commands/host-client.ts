import { connectControl, type ControlClient } from '../../control/control-client';
import { controlSocketPath } from '../../settings/paths';
import type { CliContext } from '../command';

/**
 * How long the CLI waits for a call or transfer to really start: the host answers only once the
 * INVITE left (ICE gathering, up to its 3 s deadline) or the transfer target rings or fails.
 */
export const CALL_START_WAIT_MS = 15_000;

/** Runs `fn` with a connection to the running host's control socket, always closing it. */
export async function withHost<T>(ctx: CliContext, fn: (client: ControlClient) => Promise<T>): Promise<T> {
  const client = await connectControl(controlSocketPath(ctx.paths, ctx.platform, ctx.uid));
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}
