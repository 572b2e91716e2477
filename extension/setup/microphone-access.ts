/** What asking for the microphone ended in, as the setup page shows it. */
export type MicAccess =
  | { state: 'asking' }
  | { state: 'granted' }
  | { state: 'denied' }
  | { state: 'missing' }
  | { state: 'error'; detail: string };

/**
 * Asks for the microphone once, for the whole extension origin, then lets go of it at once: the
 * grant is what we want (the offscreen document and the Firefox background page cannot prompt),
 * not the audio.
 */
export async function requestMicrophone(media: MediaDevices = navigator.mediaDevices): Promise<MicAccess> {
  try {
    const stream = await media.getUserMedia({ audio: true, video: false });
    for (const track of stream.getTracks()) track.stop();
    return { state: 'granted' };
  } catch (err) {
    const name = (err as { name?: string } | null)?.name;
    if (name === 'NotAllowedError' || name === 'SecurityError') return { state: 'denied' };
    if (name === 'NotFoundError' || name === 'OverconstrainedError') return { state: 'missing' };
    return { state: 'error', detail: `${name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}` };
  }
}

/** Already granted? Then the page has nothing to ask. False where the browser cannot tell. */
export async function microphoneGranted(): Promise<boolean> {
  try {
    return (await navigator.permissions.query({ name: 'microphone' as PermissionName })).state === 'granted';
  } catch {
    return false;
  }
}
