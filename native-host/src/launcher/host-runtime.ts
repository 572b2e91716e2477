/**
 * How the launcher runs the host's Node (not in the Windows single executable, whose arguments are
 * its own and whose allocator is not glibc's). Measured over 200 calls (bench/call-soak.bench.ts):
 * the host's live heap stays flat, yet its RSS grew by a third in the first 20-30 calls and then
 * stayed there: V8's young generation grew to its 16 MB default maximum, and glibc kept the memory
 * that V8's background threads (compiler, GC) had freed, in one 64 MB arena per thread.
 * - `--max-semi-space-size=1`: a young generation of 1 MB semi-spaces; the host allocates little
 *   per call, so its young collections stay rare and short;
 * - MALLOC_ARENA_MAX=1: every thread allocates from the main arena, where freed memory is reused.
 * The host's children (an Integra command, the hotkeys helper) inherit MALLOC_ARENA_MAX: harmless,
 * it only changes how glibc shares memory between threads.
 */
export const HOST_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

export function hostEnv(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): NodeJS.ProcessEnv {
  if (platform !== 'linux' || env.MALLOC_ARENA_MAX !== undefined) return env;
  return { ...env, MALLOC_ARENA_MAX: '1' };
}
