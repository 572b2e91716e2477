export function captureDevices(o?: { platform?: string; devSnd?: string; runtimeDir?: string | undefined }): { present: boolean; why: string };
export function demoChromiumArgs(o: { profile: string; extensionDir: string; url: string; noSandbox: boolean; captureDevice: boolean }): string[];
