import { connectControl, type ControlClient } from '../../control/control-client';
import { controlSocketPath } from '../../settings/paths';
import type { CliContext } from '../command';

/** Runs `fn` with a connection to the running host's control socket, always closing it. */
export async function withHost<T>(ctx: CliContext, fn: (client: ControlClient) => Promise<T>): Promise<T> {
  const client = await connectControl(controlSocketPath(ctx.paths, ctx.platform, ctx.uid));
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}
