import { describe, expect, it } from 'vitest';
import { detectEnvironment } from './environment';

describe('detectEnvironment', () => {
  it('uses X11 when DISPLAY is set on an X session', () => {
    expect(detectEnvironment('linux', { DISPLAY: ':0' })).toEqual({ kind: 'x11', display: ':0' });
    expect(detectEnvironment('linux', { DISPLAY: ':1', XDG_SESSION_TYPE: 'x11' })).toEqual({ kind: 'x11', display: ':1' });
  });
  it('says Wayland even when XWayland sets DISPLAY', () => {
    expect(detectEnvironment('linux', { DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0' })).toMatchObject({ kind: 'unavailable', reason: 'wayland' });
    expect(detectEnvironment('linux', { XDG_SESSION_TYPE: 'wayland' })).toMatchObject({ kind: 'unavailable', reason: 'wayland', message: expect.stringMatching(/voispeed dial-selection/) });
  });
  it('reports a missing display', () => {
    expect(detectEnvironment('linux', {})).toMatchObject({ kind: 'unavailable', reason: 'no-display' });
  });
  it('uses the uiohook helper on Windows and macOS', () => {
    expect(detectEnvironment('win32', {})).toEqual({ kind: 'uiohook' });
    expect(detectEnvironment('darwin', { DISPLAY: ':0' })).toEqual({ kind: 'uiohook' });
  });
  it('has nothing elsewhere', () => {
    expect(detectEnvironment('aix', { DISPLAY: ':0' })).toMatchObject({ kind: 'unavailable', reason: 'unsupported-platform' });
  });
});
