// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { HotkeyStatus } from '../../shared/protocol';
import { defaultHotkeys } from '../../shared/settings/hotkeys';
import type { UiAction } from '../lib/ui-state';
import { domContainer } from '../lib/testing/dom-container';

vi.mock('webextension-polyfill', async () => {
  const { englishMessage } = await import('../lib/english-catalogue');
  return { default: { i18n: { getMessage: englishMessage, getUILanguage: () => 'en-US' } } };
});
const { HotkeysSection } = await import('./hotkeys-section');

const dom = domContainer();
const $ = (s: string) => dom.element.querySelector<HTMLElement>(s);
const settle = () => act(async () => await new Promise((r) => setTimeout(r, 0)));

const grabbed: HotkeyStatus = {
  backend: 'x11',
  available: true,
  bindings: [
    { action: 'dial', combination: 'Ctrl+Alt+Shift+D', state: 'grabbed' },
    { action: 'show', combination: 'Ctrl+Alt+Shift+P', state: 'in-use' },
  ],
};

function show(status: HotkeyStatus | undefined, act$ = vi.fn(async (_a: UiAction) => undefined)) {
  act(() => render(<HotkeysSection settings={defaultHotkeys()} status={status} act={act$} />, dom.element));
  return act$;
}

function press(selector: string, init: KeyboardEventInit) {
  const el = $(selector)!;
  act(() => {
    el.focus();
    el.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
  });
}

describe('options: hotkeys section', () => {
  it('shows each combination and what the host got: active, or in use by another program', () => {
    show(grabbed);
    expect($('[data-testid=hotkey-dial]')!.textContent).toBe('Ctrl+Alt+Shift+D');
    expect($('[data-testid=hotkey-dial-state]')!.textContent).toBe('Active');
    expect($('[data-testid=hotkey-show-state]')!.textContent).toMatch(/In use by another program/);
    expect($('[data-testid=hotkeys-unavailable]')).toBeNull();
  });

  it('on Wayland says why and names the commands for desktop shortcuts', () => {
    show({ backend: 'none', available: false, reason: 'wayland', message: 'Wayland…', bindings: [] });
    const note = $('[data-testid=hotkeys-unavailable]')!;
    expect(note.dataset.reason).toBe('wayland');
    expect(note.textContent).toMatch(/On Wayland no program can take system-wide keys/);
    expect(note.textContent).toMatch(/voispeed dial-selection/);
    expect(note.textContent).toMatch(/voispeed show/);
    expect($('[data-testid=hotkey-dial-state]')).toBeNull();
  });

  it('without an X server says so, with the detail', () => {
    show({ backend: 'x11', available: false, reason: 'x-server', message: 'cannot open X display :0', bindings: [] });
    expect($('[data-testid=hotkeys-unavailable]')!.textContent).toMatch(/X server cannot be reached.*cannot open X display :0/);
  });

  it('the key-capture field saves the combination pressed, in canonical form', async () => {
    const save = show(grabbed);
    press('[data-testid=hotkey-dial]', { code: 'ControlLeft', key: 'Control', ctrlKey: true });
    expect($('[data-testid=hotkey-dial]')!.textContent).toBe('Ctrl+…');
    press('[data-testid=hotkey-dial]', { code: 'KeyK', key: 'K', ctrlKey: true, altKey: true, shiftKey: true });
    await settle();
    expect(save).toHaveBeenCalledWith({ type: 'settings.set', section: 'hotkeys', value: { enabled: true, dial: 'Ctrl+Alt+Shift+K', show: 'Ctrl+Alt+Shift+P' } });
    expect($('[data-testid=hotkey-dial]')!.dataset.value).toBe('Ctrl+Alt+Shift+K');
  });

  it('refuses a combination that would steal typing, and the same combination for both', async () => {
    const save = show(grabbed);
    press('[data-testid=hotkey-dial]', { code: 'KeyA', key: 'A', shiftKey: true });
    await settle();
    expect(save).not.toHaveBeenCalled();
    expect($('[data-testid=hotkeys-note]')!.textContent).toMatch(/add Ctrl, Alt or Super/);
    press('[data-testid=hotkey-show]', { code: 'KeyD', key: 'D', ctrlKey: true, altKey: true, shiftKey: true });
    await settle();
    expect(save).not.toHaveBeenCalled();
    expect($('[data-testid=hotkeys-note]')!.textContent).toMatch(/different combinations/);
  });

  it('Backspace clears a combination; Restore the defaults puts both back', async () => {
    const save = show(grabbed);
    press('[data-testid=hotkey-show]', { code: 'Backspace', key: 'Backspace' });
    await settle();
    expect(save).toHaveBeenLastCalledWith({ type: 'settings.set', section: 'hotkeys', value: { enabled: true, dial: 'Ctrl+Alt+Shift+D', show: null } });
    act(() => $('[data-testid=hotkeys-defaults]')!.click());
    await settle();
    expect(save).toHaveBeenLastCalledWith({ type: 'settings.set', section: 'hotkeys', value: defaultHotkeys() });
  });
});
