import { describe, expect, it } from 'vitest';
import { integraRuleSchema, integraSettingsSchema } from '../settings/integra';
import type { PlaceholderValues } from './placeholders';
import { cmdLine, effectiveAction, planRule, templateProblem } from './plan';

const v = (over: Partial<PlaceholderValues> = {}): PlaceholderValues => ({
  '00': '1001', '01': '0261616161', '02': 'CALL_IN', '03': '0299', '04': '26/11/2026_14.03.09', '05': 'id-1', '06': '0261616161', '07': '0299', '08': 'CRM 42', '09': '', ...over,
});

describe('planRule', () => {
  it('splits first, then substitutes each argument: a value is one argument whatever it holds', () => {
    const plan = planRule({ action: 'command', template: '/usr/bin/logger -t pbx "n=!01 e=!02" !08' }, v({ '01': '1 2; $(id) `x` "q\' \n' }), 'posix');
    expect(plan).toEqual({ kind: 'command', program: '/usr/bin/logger', args: ['-t', 'pbx', 'n=1 2; $(id) `x` "q\' \n e=CALL_IN', 'CRM 42'], viaCmd: false });
  });
  it('the seed example `iexplore http://…` and a bare URL are URL rules', () => {
    const seed = 'iexplore http://mywebserver.com/myscript.php?&num_chiamante=!01&action=!02';
    expect(effectiveAction({ action: 'command', template: seed })).toEqual({ action: 'url', template: 'http://mywebserver.com/myscript.php?&num_chiamante=!01&action=!02' });
    expect(planRule({ action: 'command', template: seed }, v(), 'windows')).toEqual({ kind: 'url', url: 'http://mywebserver.com/myscript.php?&num_chiamante=0261616161&action=CALL_IN' });
    expect(planRule({ action: 'command', template: '"C:\\Program Files\\Mozilla Firefox\\firefox.exe" https://crm/?n=!01' }, v(), 'windows')).toMatchObject({ kind: 'url' });
    expect(planRule({ action: 'command', template: 'https://crm.example/?n=!01' }, v(), 'posix')).toMatchObject({ kind: 'url' });
  });
  it('refuses a placeholder in the program name', () => {
    expect(templateProblem({ action: 'command', template: '!01 -x' })).toMatch(/program name/);
    expect(templateProblem({ action: 'command', template: '"/opt/!01/run" -x' })).toMatch(/program name/);
    expect(planRule({ action: 'command', template: '/bin/!01' }, v(), 'posix')).toMatchObject({ kind: 'error' });
  });
  it('Windows .bat/.cmd run through cmd.exe with every word quoted; unsafe values are refused', () => {
    const plan = planRule({ action: 'command', template: 'C:\\crm\\notify.bat !01 !08' }, v(), 'windows');
    expect(plan).toEqual({ kind: 'command', program: 'C:\\crm\\notify.bat', args: ['0261616161', 'CRM 42'], viaCmd: true });
    if (plan.kind === 'command') expect(cmdLine(plan.program, plan.args)).toBe('"C:\\crm\\notify.bat" "0261616161" "CRM 42"');
    expect(planRule({ action: 'command', template: 'C:\\crm\\notify.bat !01' }, v({ '01': '&calc&' }), 'windows')).toMatchObject({ kind: 'error' });
    expect(planRule({ action: 'command', template: 'C:\\crm\\notify.bat !08' }, v({ '08': '%PATH%' }), 'windows')).toMatchObject({ kind: 'error' });
    expect(planRule({ action: 'command', template: 'C:\\crm\\crm.exe !01' }, v({ '01': '&calc&' }), 'windows')).toMatchObject({ kind: 'command', viaCmd: false, args: ['&calc&'] });
  });
  it('reports unbalanced quotes as an error, not a throw', () => {
    expect(planRule({ action: 'command', template: '/bin/echo "a' }, v(), 'posix')).toEqual({ kind: 'error', message: 'unbalanced double quote' });
  });
});

describe('the integra settings schema', () => {
  it('has defaults: off, all calls, up to 4 digits internal, no rules', () => {
    expect(integraSettingsSchema.parse({})).toEqual({ enabled: false, onlyExternal: false, internalPattern: '^[0-9]{1,4}$', rules: [] });
  });
  it('refuses a placeholder in the host part when the rule is saved, naming the field', () => {
    const r = integraRuleSchema.safeParse({ id: 'r1', events: ['CALL_IN'], action: 'url', template: 'https://!01.crm.example/' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['template'], message: expect.stringMatching(/placeholder in the host part/) });
    const seedStyle = integraRuleSchema.safeParse({ id: 'r1', events: ['CALL_IN'], action: 'command', template: 'iexplore http://!01.x/' });
    expect(seedStyle.success).toBe(false);
  });
  it('needs at least one event, unique ids and a valid internal pattern', () => {
    expect(integraRuleSchema.safeParse({ id: 'r', events: [], action: 'command', template: '/bin/true' }).success).toBe(false);
    const rule = { id: 'r', events: ['CALL_IN'], action: 'command', template: '/bin/true' };
    expect(integraSettingsSchema.safeParse({ rules: [rule, rule] }).success).toBe(false);
    expect(integraSettingsSchema.safeParse({ internalPattern: '(' }).success).toBe(false);
  });
  it("maps the Windows UI's single command and its event boxes to one rule", () => {
    const s = integraSettingsSchema.parse({ enabled: true, onlyExternal: true, command: 'iexplore http://crm/?n=!01', events: ['CALL_IN', 'CALL_BUSY'] });
    expect(s.rules).toEqual([{ id: 'seed', enabled: true, events: ['CALL_IN', 'CALL_BUSY'], action: 'command', template: 'iexplore http://crm/?n=!01' }]);
  });
});
