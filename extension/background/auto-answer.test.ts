import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockCall, mockUiState } from '../lib/mock-connector';
import { UiStore } from './ui-store';

vi.mock('webextension-polyfill', () => ({ default: {} }));
const { autoAnswer } = await import('./auto-answer');

function setup(permission: string) {
  vi.stubGlobal('navigator', { permissions: { query: async () => ({ state: permission }) } });
  const store = new UiStore(mockUiState({ calls: [] }));
  const request = vi.fn(async () => ({}));
  autoAnswer.start({ native: { request } as never, store });
  return { store, request };
}
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('auto-answer (background)', () => {
  it('answers a marked ringing call after its delay (never before one ringtone burst), once', async () => {
    vi.useFakeTimers();
    const { store, request } = setup('granted');
    const call = mockCall({ id: 'ic', state: 'ringing-in', autoAnswerAfterMs: 0 });
    store.update({ calls: [call] });
    store.update({ calls: [{ ...call }] });
    await vi.advanceTimersByTimeAsync(399);
    expect(request).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(request).toHaveBeenCalledTimes(1);
    expect(request).toHaveBeenCalledWith('call.answer', { id: 'ic' });
  });

  it('only rings without the microphone permission, without the mark, or when another call came up meanwhile', async () => {
    vi.useFakeTimers();
    const denied = setup('prompt');
    denied.store.update({ calls: [mockCall({ id: 'a', state: 'ringing-in', autoAnswerAfterMs: 0 })] });
    await vi.advanceTimersByTimeAsync(1000);
    expect(denied.request).not.toHaveBeenCalled();

    const plain = setup('granted');
    plain.store.update({ calls: [mockCall({ id: 'b', state: 'ringing-in' })] });
    await vi.advanceTimersByTimeAsync(1000);
    expect(plain.request).not.toHaveBeenCalled();

    const busy = setup('granted');
    busy.store.update({ calls: [mockCall({ id: 'c', state: 'ringing-in', autoAnswerAfterMs: 2000 })] });
    await vi.advanceTimersByTimeAsync(500);
    busy.store.update({ calls: [mockCall({ id: 'c', state: 'ringing-in', autoAnswerAfterMs: 2000 }), mockCall({ id: 'd', direction: 'out', state: 'dialing' })] });
    await vi.advanceTimersByTimeAsync(2000);
    expect(busy.request).not.toHaveBeenCalled();
  });
});
