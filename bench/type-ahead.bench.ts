// Dial by name (issue 18): the host's contact search per keystroke over 10,000 local contacts
// (target p99 ≤ 16 ms, one frame): 300 names typed letter by letter ("m", "ma", "mar", …, then
// "mario r", …), each prefix searched as the popup asks (limit 10). Also the index build time.
import { ContactIndex } from '../native-host/src/directory/contact-index';
import { italianContacts } from '../native-host/src/directory/sample-contacts';
import { fmt, summary } from './stats';

const contacts = italianContacts(10_000).map((c) => ({ name: c.name, company: c.company, numbers: [{ number: c.office }, { number: c.mobile }] }));
let t = performance.now();
const index = new ContactIndex(contacts, 'IT');
console.log(`index of ${index.size} contacts built in ${fmt(performance.now() - t)}`);

const typed = contacts.filter((_, i) => i % 33 === 0).slice(0, 300).map((c, i) => (i % 2 ? `${c.name.split(' ').reverse().join(' ')}` : c.name).toLowerCase());
const samples: number[] = [];
let found = 0;
for (const text of typed) {
  for (let n = 1; n <= text.length; n++) {
    t = performance.now();
    const hits = index.search(text.slice(0, n), 10);
    samples.push(performance.now() - t);
    if (n === text.length && hits.length > 0) found++;
  }
}
const s = summary(samples);
console.log(`search per keystroke over ${index.size} contacts, n=${s.n} keystrokes: median ${fmt(s.median)}, p99 ${fmt(s.p99)}, max ${fmt(s.max)} (target p99 ≤ 16 ms: ${s.p99 <= 16 ? 'met' : 'MISSED'}); ${found}/${typed.length} full names found`);
