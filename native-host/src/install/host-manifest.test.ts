import { describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../../shared/extension-ids';
import { hostManifest, hostManifestText } from './host-manifest';

describe('host manifest', () => {
  it('allows only our pinned origin for the Chromium family', () => {
    const m = hostManifest('chromium', '/home/ann/.config/voispeed/host/voispeed-host.sh');
    expect(m).toEqual({
      name: 'voispeed.ui',
      description: expect.any(String),
      path: '/home/ann/.config/voispeed/host/voispeed-host.sh',
      type: 'stdio',
      allowed_origins: [`chrome-extension://${CHROMIUM_EXTENSION_ID}/`],
    });
    expect(m).not.toHaveProperty('allowed_extensions');
  });

  it('allows only our gecko id for Firefox', () => {
    const m = hostManifest('firefox', '/home/ann/.config/voispeed/host/voispeed-host.sh');
    expect(m).toMatchObject({ name: 'voispeed.ui', type: 'stdio', allowed_extensions: [FIREFOX_EXTENSION_ID] });
    expect(m).not.toHaveProperty('allowed_origins');
  });

  it('is JSON that keeps a Windows path intact', () => {
    const path = 'C:\\Users\\ann\\AppData\\Roaming\\voispeed\\host\\voispeed-host.bat';
    const text = hostManifestText('chromium', path);
    expect(text.endsWith('\n')).toBe(true);
    expect(JSON.parse(text).path).toBe(path);
  });
});
