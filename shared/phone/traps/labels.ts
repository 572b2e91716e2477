/**
 * Declarative labels that say what the digits after them are. A trap label (P.IVA, IBAN, ordine
 * n., ISBN, …) in front of a candidate rejects it; a phone label (Tel., fax, chiama, …) closer to
 * the candidate overrides any trap label before it. Italian and English, lower case.
 */
export type TrapClass = 'vat' | 'bank' | 'order' | 'isbn' | 'card' | 'coordinates' | 'ip' | 'version' | 'price' | 'date';
export type LabelClass = TrapClass | 'phone';

const LABELS: Record<LabelClass, string[]> = {
  vat: [
    'p\\.?\\s?iva', 'partita\\s+iva', 'vat(?:\\s+(?:no|number|id|reg))?', 'c\\.\\s?f\\.?', 'cf', 'cod(?:\\.|ice)\\s*fisc(?:\\.|ale)?',
    'fiscal\\s+code', 'tax\\s+(?:id|code|number)', 'iva', 'ust-?id(?:nr)?', 'siret', 'siren', 'nif', 'cif', 'tin', 'ein',
  ],
  bank: ['iban', 'bic', 'swift', 'c/c', 'conto(?:\\s+corrente)?', 'abi', 'cab', 'account\\s+(?:no|number)', 'bank', 'banca', 'sort\\s+code', 'routing'],
  order: [
    'ordine', 'order', 'ord\\.', 'fattura', 'fatt\\.', 'invoice', 'inv\\.', 'ricevuta', 'receipt', 'rif\\.?', 'riferimento', 'ref\\.?',
    'reference', 'pratica', 'protocollo', 'prot\\.', 'tracking', 'spedizione', 'shipment', 'matricola', 'codice(?:\\s+cliente)?',
    'cod\\.', 'customer(?:\\s+(?:no|id|number))?', 'cliente', 'ticket', 'id', 'serial(?:e)?', 's/n', 'lotto', 'lot', 'sku', 'art\\.',
    'articolo', 'item', 'prodotto', 'product', 'pin', 'puk', 'imei', 'ean', 'upc', 'gtin', 'rea', 'cciaa', 'registro(?:\\s+imprese)?',
    'iscrizione', 'licen[sz]a', 'license', 'patente', 'passaporto', 'passport', 'documento', 'booking', 'prenotazione', 'pnr',
    'awb', 'barcode', 'cig', 'cup', 'contratto', 'contract', 'polizza', 'policy', 'sinistro', 'claim', 'case', 'caso', 'issue', 'bug',
    'pod', 'pdr', 'codice\\s+utente', 'utenza', 'user\\s+id', 'pnr', 'volo', 'flight', 'n\\.\\s?ro\\s+(?:ordine|fattura)',
  ],
  isbn: ['isbn(?:-1[03])?', 'issn', 'doi'],
  card: ['carta(?:\\s+di\\s+credito)?', 'card', 'visa', 'mastercard', 'amex', 'maestro', 'cvv', 'pan'],
  coordinates: ['lat(?:itudine|itude)?', 'lon(?:gitudine|gitude)?', 'lng', 'coord(?:inate|inates)?', 'gps', 'wgs84'],
  ip: ['ip(?:v[46])?', 'indirizzo\\s+ip', 'subnet', 'gateway', 'netmask', 'dns'],
  version: ['versione', 'version', 'ver\\.', 'build', 'release', 'rev\\.?', 'revision', 'firmware', 'v'],
  price: ['prezzo', 'price', 'totale', 'total', 'importo', 'amount', 'costo', 'cost', 'saldo', 'eur', 'euro', 'usd', 'chf', 'gbp'],
  date: ['data', 'date', 'scadenza', 'expires?', 'nato\\s+il', 'born'],
  phone: [
    'tel(?:efono|ephone|\\.|:)?', 'phone', 'ph\\.?', 'cell(?:ulare)?', 'cel\\.', 'mobile', 'mob\\.?', 'fax', 'chiam(?:a|ate|are|aci)',
    'call(?:\\s+us)?', 'contatt(?:o|i|aci)', 'contacts?', 'numero\\s+verde', 'whatsapp', 'centralino', 'switchboard', 'hotline',
    'helpline', 'assistenza', 'support', 'servizio\\s+clienti', 'tel/fax', 't\\.', 'm\\.', 'f\\.', 'recapito', 'telefonare', 'squilla',
  ],
};

const CLASSES = Object.keys(LABELS) as LabelClass[];
// One pass over the window: each class is one capture group; letters may not touch a label.
const LABEL_RE = new RegExp(
  CLASSES.map((c) => `(?<![a-z])(${LABELS[c].join('|')})(?![a-z])`).join('|'),
  'gi',
);

export interface Label {
  kind: LabelClass;
  /** Index just past the label inside the searched window. */
  end: number;
}

/** The last label in `window` (the text right before a candidate), if any. */
export function lastLabel(window: string): Label | undefined {
  LABEL_RE.lastIndex = 0;
  let found: Label | undefined;
  for (let m = LABEL_RE.exec(window); m; m = LABEL_RE.exec(window)) {
    for (let g = 1; g < m.length; g++) {
      if (m[g] !== undefined) {
        found = { kind: CLASSES[g - 1]!, end: m.index + m[0].length };
        break;
      }
    }
    if (m[0].length === 0) LABEL_RE.lastIndex++;
  }
  return found;
}
