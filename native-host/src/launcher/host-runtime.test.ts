import { describe, expect, it } from 'vitest';
import { HOST_NODE_FLAGS, hostEnv } from './host-runtime';

describe("the host's runtime settings", () => {
  it('bounds the young generation with a flag node accepts before the script', () => {
    expect(HOST_NODE_FLAGS).toEqual(['--max-semi-space-size=1']);
  });

  it('gives the host one malloc arena on Linux, without changing the environment it was given', () => {
    const env = { PATH: '/usr/bin' };
    expect(hostEnv(env, 'linux')).toEqual({ PATH: '/usr/bin', MALLOC_ARENA_MAX: '1' });
    expect(env).toEqual({ PATH: '/usr/bin' });
  });

  it("keeps a user's own MALLOC_ARENA_MAX, and sets nothing where the allocator is not glibc's", () => {
    expect(hostEnv({ MALLOC_ARENA_MAX: '4' }, 'linux')).toEqual({ MALLOC_ARENA_MAX: '4' });
    expect(hostEnv({ PATH: 'x' }, 'win32')).toEqual({ PATH: 'x' });
    expect(hostEnv({ PATH: 'x' }, 'darwin')).toEqual({ PATH: 'x' });
  });
});
