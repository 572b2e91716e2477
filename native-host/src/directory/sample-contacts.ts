/**
 * Deterministic Italian contacts for the sandbox directory, the tests and the benchmarks (issue
 * 18): the same `count` always gives the same people and numbers, so a test can name the entry it
 * expects. Every number is unique: office numbers in Milan's 02 5550 xxxx block, mobiles in 347
 * 55xx xx0 (fictional ranges kept for this product's tests).
 */

const GIVEN = ['Mario', 'Giuseppe', 'Luca', 'Marco', 'Francesco', 'Alessandro', 'Andrea', 'Giovanni', 'Roberto', 'Stefano', 'Niccolò', 'Lorenzo', 'Matteo', 'Davide', 'Paolo',
  'Anna', 'Maria', 'Giulia', 'Francesca', 'Chiara', 'Sara', 'Laura', 'Elena', 'Valentina', 'Federica', 'Martina', 'Silvia', 'Alessia', 'Beatrice', 'Lucia'];
const FAMILY = ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'Conti', 'De Luca', 'Mancini',
  'Costa', 'Giordano', 'Rizzo', 'Lombardi', 'Moretti', 'Barbieri', 'Fontana', 'Santoro', 'Mariani', 'Rinaldi', 'Caruso', 'Ferrara', 'Galli', 'Martini', 'Leone',
  'Longo', 'Gentile', 'Martinelli', 'Vitale', 'Lombardo', 'Serra', 'Coppola', 'De Santis', "D'Angelo", 'Marchetti', 'Parisi', 'Villa', 'Conte', 'Ferraro', 'Fabbri',
  'Bianco', 'Marini', 'Grasso', 'Valentini', 'Messina', 'Sala', 'De Angelis', 'Gatti', 'Pellegrini', 'Palumbo', 'Sanna', 'Farina', 'Rizzi', 'Monti', 'Cattaneo', 'Müller', 'Nicolò'];
const TRADE = ['Costruzioni', 'Trasporti', 'Studio', 'Consulting', 'Impianti', 'Farmacia', 'Officina', 'Assicurazioni', 'Immobiliare', 'Ristorante'];
const FORM = ['Srl', 'SpA', 'Snc', '& Figli', 'Sas'];

export interface SampleContact {
  givenName: string;
  familyName: string;
  /** "Given Family" */
  name: string;
  company: string;
  /** +39 02 5550 NNNN */
  office: string;
  /** +39 347 55NN NN0 */
  mobile: string;
}

/** `count` contacts (at most 10,000: the number blocks hold that many). */
export function italianContacts(count: number): SampleContact[] {
  const out: SampleContact[] = [];
  for (let i = 0; i < Math.min(count, 10_000); i++) {
    const givenName = GIVEN[i % GIVEN.length]!;
    const familyName = FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length]!;
    const company = `${FAMILY[(i * 7 + 3) % FAMILY.length]} ${TRADE[i % TRADE.length]} ${FORM[i % FORM.length]}`;
    const n = String(i).padStart(4, '0');
    out.push({ givenName, familyName, name: `${givenName} ${familyName}`, company, office: `+39 02 5550 ${n}`, mobile: `+39 347 55${n.slice(0, 2)} ${n.slice(2)}0` });
  }
  return out;
}
