import { describe, expect, it } from 'vitest';
import { baresipAccounts, baresipConfig, baresipLaunch, type BaresipConfigInput } from './baresip-config';

const base: BaresipConfigInput = {
  user: '2001',
  password: 'abc123XYZ',
  domain: 'sandbox.voispeed.test',
  ports: { sip: 41010, ctrl: 41011, rtp: { min: 20080, max: 20099 } },
  kamailioUdp: 41001,
  modulePath: '/usr/lib/baresip/modules',
  recordingsDir: 'recordings',
};

describe('baresip bot config', () => {
  it('answering bot: loopback listeners, 1 kHz tone, records, control socket', () => {
    const lines = baresipConfig(base).split('\n');
    expect(lines).toContain('sip_listen 127.0.0.1:41010');
    expect(lines).toContain('net_interface 127.0.0.1');
    expect(lines).toContain('rtp_ports 20080-20099');
    expect(lines).toContain('audio_source ausine,1000');
    expect(lines).toContain('module sndfile.so');
    expect(lines).toContain('snd_path recordings');
    expect(lines).toContain('module_app ctrl_tcp.so');
    expect(lines).toContain('ctrl_tcp_listen 127.0.0.1:41011');
  });

  it('refuses a value with a space, which baresip would cut short', () => {
    expect(() => baresipConfig({ ...base, modulePath: '/opt/my modules' })).toThrow(/spaces/);
  });

  it('transfer target: its own tone, recording into its own subfolder (who heard what after a transfer)', () => {
    const lines = baresipConfig({ ...base, user: '3001' }).split('\n');
    expect(lines).toContain('audio_source ausine,700');
    expect(lines).toContain('module sndfile.so');
    expect(lines).toContain('snd_path recordings/3001');
  });

  it('registers through Kamailio over UDP and answers by itself', () => {
    expect(baresipAccounts(base)).toBe(
      '<sip:2001@sandbox.voispeed.test>;auth_pass=abc123XYZ;outbound="sip:127.0.0.1:41001";regint=600;answermode=auto;audio_codecs=PCMU\n',
    );
    expect(() => baresipAccounts({ ...base, password: 'a;b' })).toThrow();
  });

  it('classic profile: takes the G.711 offer of a plain SIP caller itself, µ-law or A-law', () => {
    expect(baresipAccounts({ ...base, profile: 'classic' })).toContain(';audio_codecs=PCMU,PCMA;mediaenc=srtp\n');
    expect(baresipConfig({ ...base, profile: 'classic' })).toContain('\nmodule srtp.so\n');
    // Only the answering bot takes SRTP; the transfer target and the WebSocket profile's bots do not.
    expect(baresipAccounts({ ...base, user: '3001', profile: 'classic' })).toContain(';audio_codecs=PCMU,PCMA\n');
    expect(baresipConfig({ ...base, user: '3001', profile: 'classic' })).not.toContain('srtp');
    expect(baresipConfig({ ...base, profile: 'ws' })).not.toContain('srtp');
    expect(baresipAccounts({ ...base, profile: 'ws' })).toContain(';audio_codecs=PCMU\n');
  });

  it('runs IPv4 only from its own folder', () => {
    expect(baresipLaunch('/s/baresip-2001')).toEqual({ args: ['-4', '-f', '/s/baresip-2001'], marker: '/s/baresip-2001' });
  });
});
