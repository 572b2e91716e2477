import { osFamily, pathFor, type LocationEnv } from './browsers';
import { InstallError } from './install-error';
import { posixLauncher } from './launcher';
import { regAddArgs, regAddValueArgs } from './windows-registry';

/**
 * The `voispeed:` URL handler (DESIGN section 6): any program that opens a `voispeed:` link runs
 * `voispeed <url>`, which hands the command to the running host over the control socket. Planned as
 * data like the host manifests (plan.ts), per OS:
 *
 * - Linux: a launcher script (absolute node, the CLI bundle, VOISPEED_HOME baked in), a `.desktop`
 *   file in `$XDG_DATA_HOME/applications` whose `Exec` is that script with `%u` (xdg-open passes the
 *   URL as one argument), `xdg-mime default` for `x-scheme-handler/voispeed`, and
 *   update-desktop-database where a desktop database exists.
 * - Windows: `HKCU\Software\Classes\voispeed` (`URL Protocol`) whose `shell\open\command` runs
 *   wscript.exe with a small VBScript launcher, so no console window flashes.
 * - macOS: needs an .app bundle (the URL arrives as an Apple Event); not built, see README.
 */

export const URL_SCHEME = 'voispeed';
export const URL_MIME_TYPE = `x-scheme-handler/${URL_SCHEME}`;
export const DESKTOP_FILE_ID = 'voispeed-url-handler.desktop';
export const CLI_SCRIPT_NAME = 'voispeed.cjs';
/** The Windows launcher reads the URL from here: it never travels through a command line. */
export const URL_ENV_VAR = 'VOISPEED_URL';

export const URL_CLASS_KEY = `HKCU\\Software\\Classes\\${URL_SCHEME}`;
export const URL_COMMAND_KEY = `${URL_CLASS_KEY}\\shell\\open\\command`;

export function urlLauncherPath(configDir: string, platform: NodeJS.Platform): string {
  const name = osFamily(platform) === 'win32' ? 'voispeed-url.vbs' : 'voispeed-url.sh';
  return pathFor(platform).join(configDir, 'host', name);
}

function absoluteEnv(loc: LocationEnv, name: string): string | undefined {
  const value = loc.env[name];
  return value && pathFor(loc.platform).isAbsolute(value) ? value : undefined;
}

/** `$XDG_DATA_HOME/applications`, where per-user desktop entries live (XDG base directory spec). */
export function applicationsDir(loc: LocationEnv): string {
  return pathFor(loc.platform).join(absoluteEnv(loc, 'XDG_DATA_HOME') ?? pathFor(loc.platform).join(loc.homedir, '.local', 'share'), 'applications');
}

/** `$XDG_CONFIG_HOME/mimeapps.list`: where xdg-mime records a default outside KDE 4. */
export function mimeappsListPath(loc: LocationEnv): string {
  const p = pathFor(loc.platform);
  return p.join(absoluteEnv(loc, 'XDG_CONFIG_HOME') ?? p.join(loc.homedir, '.config'), 'mimeapps.list');
}

const DESKTOP_PLAIN = /^[A-Za-z0-9/._+=:,@-]+$/;

/**
 * One argument of a desktop entry's `Exec` key. Reserved characters need double quotes, inside which
 * `"` `` ` `` `$` `\` take a backslash; string-value escaping then doubles every backslash, and `%`
 * is written `%%` so it is not read as a field code (Desktop Entry Specification, "The Exec key").
 */
export function desktopExecArg(value: string): string {
  if (/[\r\n\0\t]/.test(value)) throw new InstallError(`a path contains a control character: ${JSON.stringify(value)}`);
  let arg = DESKTOP_PLAIN.test(value) ? value : `"${value.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
  arg = arg.replace(/\\/g, '\\\\');
  return arg.replace(/%/g, '%%');
}

export const INSTALLED_BY_CLI = '# Written by `voispeed install`; `voispeed uninstall` removes it.';

/** `origin`: a comment saying what wrote the file and what removes it. */
export function desktopEntry(launcher: string, origin = INSTALLED_BY_CLI): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=VOIspeed UI',
    'Comment=Runs voispeed: links (call, hang up, transfer, account set-up) in the VOIspeed UI',
    `Exec=${desktopExecArg(launcher)} %u`,
    'Terminal=false',
    'NoDisplay=true',
    `MimeType=${URL_MIME_TYPE};`,
    origin,
    '',
  ].join('\n');
}

/**
 * A VBScript string literal. Only `"` needs doubling; non-ASCII characters are spelled with ChrW so
 * the file stays ASCII, whatever code page wscript reads it with.
 */
export function vbsString(value: string): string {
  if (/[\r\n\0]/.test(value)) throw new InstallError(`a path contains a line break or NUL: ${JSON.stringify(value)}`);
  let out = '"';
  let open = true;
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      if (!open) {
        out += ' & "';
        open = true;
      }
      out += ch === '"' ? '""' : ch;
      continue;
    }
    if (open) out += '"';
    open = false;
    // Characters beyond the BMP are two UTF-16 units, each its own ChrW.
    for (const unit of cp > 0xffff ? [0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff)] : [cp]) {
      out += ` & ChrW(${unit})`;
    }
  }
  return open ? `${out}"` : out.replace(/^"" & /, '');
}

export interface UrlLauncherInput {
  nodePath: string;
  cliScript: string;
  voispeedHome?: string;
}

/**
 * Run by wscript.exe (a GUI program: no console). The URL goes to the CLI in VOISPEED_URL rather
 * than on a command line: WshShell.Run expands %VAR% in its command, and a quote in a URL would
 * split it. Run's window style 0 keeps node's console hidden. Paths with `%` are refused, because
 * Run would expand those too.
 */
export function windowsUrlLauncher({ nodePath, cliScript, voispeedHome }: UrlLauncherInput): string {
  for (const [what, value] of [
    ['the node path', nodePath],
    ['the CLI path', cliScript],
  ] as const) {
    if (value.includes('%') || value.includes('"')) throw new InstallError(`${what} contains % or ", which the Windows URL launcher cannot run safely: ${JSON.stringify(value)}`);
  }
  const command = `"""" & ${vbsString(nodePath)} & """ """ & ${vbsString(cliScript)} & """ url --from-env"`;
  const lines = [
    "' Written by voispeed install; voispeed uninstall removes it.",
    "' Opens a voispeed: link with the voispeed CLI, without a console window.",
    'Option Explicit',
    'Dim shell, env',
    'If WScript.Arguments.Count <> 1 Then WScript.Quit 2',
    'Set shell = CreateObject("WScript.Shell")',
    'Set env = shell.Environment("Process")',
  ];
  if (voispeedHome !== undefined) lines.push(`env("VOISPEED_HOME") = ${vbsString(voispeedHome)}`);
  lines.push(`env("${URL_ENV_VAR}") = WScript.Arguments(0)`, `WScript.Quit shell.Run(${command}, 0, True)`, '');
  return lines.join('\r\n');
}

export function wscriptPath(env: Readonly<Record<string, string | undefined>>): string {
  const root = env.SystemRoot ?? env.SYSTEMROOT ?? env.windir ?? 'C:\\Windows';
  return pathFor('win32').join(root, 'System32', 'wscript.exe');
}

/** The `shell\open\command` value: wscript, the launcher, and the URL as its one argument. */
export function windowsOpenCommand(wscript: string, launcher: string): string {
  return `"${wscript}" //B //NoLogo "${launcher}" "%1"`;
}

export interface UrlHandlerPlanInput extends LocationEnv {
  configDir: string;
  bundleDir: string;
  nodePath: string;
  voispeedHome?: string;
}

/** Imported by plan.ts; kept here as a type so the two files do not import each other's values. */
export type UrlHandlerStep =
  | { kind: 'write-file'; path: string; contents: string; mode: number; dirMode: number; owner: { component: 'url-handler' }; label: string }
  | { kind: 'registry-add'; key: string; value: string; program: string; args: string[]; owner: { component: 'url-handler' }; label: string }
  | {
      kind: 'set-mime-default';
      mimeType: string;
      desktopId: string;
      mimeappsFile: string;
      program: string;
      args: string[];
      owner: { component: 'url-handler' };
      label: string;
    }
  | { kind: 'refresh-desktop-database'; dir: string; program: string; args: string[]; owner: { component: 'url-handler' }; label: string };

const owner = { component: 'url-handler' } as const;

export function cliScriptPath(bundleDir: string, platform: NodeJS.Platform): string {
  return pathFor(platform).join(bundleDir, CLI_SCRIPT_NAME);
}

/** The steps that make `voispeed:` links run `voispeed <url>`; empty on macOS (not supported yet). */
export function planUrlHandler(input: UrlHandlerPlanInput, regExe: string): UrlHandlerStep[] {
  const os = osFamily(input.platform);
  const p = pathFor(input.platform);
  const launcher = urlLauncherPath(input.configDir, input.platform);
  const launcherInput = {
    nodePath: input.nodePath,
    cliScript: cliScriptPath(input.bundleDir, input.platform),
    ...(input.voispeedHome !== undefined ? { voispeedHome: input.voispeedHome } : {}),
  };
  if (os === 'darwin') return [];
  if (os === 'win32') {
    const command = windowsOpenCommand(wscriptPath(input.env), launcher);
    return [
      { kind: 'write-file', path: launcher, contents: windowsUrlLauncher(launcherInput), mode: 0o644, dirMode: 0o700, owner, label: 'voispeed: URL launcher' },
      {
        kind: 'registry-add',
        key: URL_CLASS_KEY,
        value: 'URL:VOIspeed command',
        program: regExe,
        args: regAddArgs(URL_CLASS_KEY, 'URL:VOIspeed command'),
        owner,
        label: 'voispeed: URL scheme',
      },
      {
        kind: 'registry-add',
        key: URL_CLASS_KEY,
        value: 'URL Protocol = ""',
        program: regExe,
        args: regAddValueArgs(URL_CLASS_KEY, 'URL Protocol', ''),
        owner,
        label: 'voispeed: URL protocol marker',
      },
      { kind: 'registry-add', key: URL_COMMAND_KEY, value: command, program: regExe, args: regAddArgs(URL_COMMAND_KEY, command), owner, label: 'voispeed: URL command' },
    ];
  }
  const apps = applicationsDir(input);
  return [
    {
      kind: 'write-file',
      path: launcher,
      contents: posixLauncher({ nodePath: launcherInput.nodePath, hostScript: launcherInput.cliScript, ...(input.voispeedHome !== undefined ? { voispeedHome: input.voispeedHome } : {}) }),
      mode: 0o755,
      dirMode: 0o700,
      owner,
      label: 'voispeed: URL launcher',
    },
    { kind: 'write-file', path: p.join(apps, DESKTOP_FILE_ID), contents: desktopEntry(launcher), mode: 0o644, dirMode: 0o755, owner, label: 'voispeed: URL desktop entry' },
    {
      kind: 'set-mime-default',
      mimeType: URL_MIME_TYPE,
      desktopId: DESKTOP_FILE_ID,
      mimeappsFile: mimeappsListPath(input),
      program: 'xdg-mime',
      args: ['default', DESKTOP_FILE_ID, URL_MIME_TYPE],
      owner,
      label: 'default handler for voispeed: links',
    },
    { kind: 'refresh-desktop-database', dir: apps, program: 'update-desktop-database', args: [apps], owner, label: 'desktop database' },
  ];
}

/**
 * The URL launcher the MSI installs beside voispeed.exe (the single executable, which is its own
 * node and CLI), in JScript. It finds the executable next to itself, so the same file works in
 * every user's install folder. The URL reaches the CLI as hex UTF-16 code units (`url --from-hex`):
 * WshShell.Run expands %VAR% and a quote would split the command, and hex has neither. (The
 * VBScript launcher's environment variable cannot be set under Wine, whose WshEnvironment has no
 * setter, nor can VBScript's AscW or Escape be used there: JScript runs on both.)
 */
export function packagedWindowsUrlLauncher(exeName: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(exeName)) throw new InstallError(`not a plain file name: ${JSON.stringify(exeName)}`);
  return [
    '// Installed with the VOIspeed UI host (MSI); uninstalling it removes it.',
    '// Opens a voispeed: link with the voispeed command, without a console window.',
    'var args = WScript.Arguments;',
    'if (args.length !== 1) WScript.Quit(2);',
    'var fso = new ActiveXObject("Scripting.FileSystemObject");',
    'var shell = new ActiveXObject("WScript.Shell");',
    `var exe = fso.BuildPath(fso.GetParentFolderName(WScript.ScriptFullName), "${exeName}");`,
    '// Run expands %VAR% and a quote would split the command: refuse such an install folder.',
    'if (/[%"]/.test(exe)) WScript.Quit(3);',
    'var url = args.Item(0);',
    'var hex = "";',
    'for (var i = 0; i < url.length; i++) hex += ("000" + url.charCodeAt(i).toString(16)).slice(-4);',
    // JScript strings: '"' is a quote, so the executable's path is quoted on the command line.
    `WScript.Quit(shell.Run('"' + exe + '" url --from-hex ' + hex, 0, true));`,
    '',
  ].join('\r\n');
}
