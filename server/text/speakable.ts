/**
 * Reply text → what the synthesiser reads aloud: money and percentages in words, no markup, no
 * symbols. The one speakable filter: the voice boundary (the speech session) applies `speakable` to
 * each sentence it synthesises; a brain that streams cleans its fragments of markup marks with
 * `withoutMarks` as they arrive (they would be shown and read out raw). Sentences are cut by the one
 * splitter in `sentences.ts`.
 */

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** A non-negative integer in words ("one thousand two hundred five"). */
export function numberToWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) return String(n);
  if (n < 20) return ONES[n]!;
  if (n < 100) return TENS[Math.floor(n / 10)]! + (n % 10 ? ` ${ONES[n % 10]}` : '');
  if (n < 1000)
    return `${ONES[Math.floor(n / 100)]} hundred` + (n % 100 ? ` ${numberToWords(n % 100)}` : '');
  for (const [size, name] of [
    [1e9, 'billion'],
    [1e6, 'million'],
    [1e3, 'thousand'],
  ] as const) {
    if (n >= size)
      return (
        `${numberToWords(Math.floor(n / size))} ${name}` +
        (n % size ? ` ${numberToWords(n % size)}` : '')
      );
  }
  return String(n);
}

/** "$12.50" → "twelve dollars fifty"; "$1,000.00" → "one thousand dollars"; "$0.50" → "fifty cents". */
export function moneyToWords(amount: string): string {
  const [whole = '0', frac = ''] = amount.replace(/,/g, '').split('.');
  const dollars = Number(whole);
  const cents = frac ? Number(frac.padEnd(2, '0').slice(0, 2)) : 0;
  if (dollars === 0 && cents > 0)
    return `${numberToWords(cents)} ${cents === 1 ? 'cent' : 'cents'}`;
  const d = `${numberToWords(dollars)} ${dollars === 1 ? 'dollar' : 'dollars'}`;
  return cents ? `${d} ${numberToWords(cents)}` : d;
}

/** Markdown and quoting marks a model may send though the prompt forbids them. */
const MARKS = /[*_`#~>|]+/g;

/** A streamed fragment without markup marks (safe on any fragment: a mark is one character). */
export function withoutMarks(fragment: string): string {
  return fragment.replace(MARKS, '');
}

/** Clean one sentence for the synthesiser: '' when nothing of it can be said (only punctuation). */
export function speakable(text: string): string {
  if (!/[a-z0-9]/i.test(text)) return '';
  return text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, 'the link')
    .replace(MARKS, ' ')
    .replace(/\$\s?(\d[\d,]*(?:\.\d+)?)/g, (_, amount: string) => moneyToWords(amount))
    .replace(/(\d+(?:\.\d+)?)\s?%/g, (_, n: string) => `${spokenNumber(n)} percent`)
    .replace(/\d[\d,]*(?:\.\d+)?/g, (n) => spokenNumber(n))
    .replace(/&/g, ' and ')
    .replace(/\s*[—–]\s*/g, ', ')
    .replace(/[()[\]{}"“”]/g, ' ')
    .replace(/\s+([,.!?;:])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function spokenNumber(n: string): string {
  const [whole = '0', frac] = n.replace(/,/g, '').split('.');
  const w = numberToWords(Number(whole));
  return frac ? `${w} point ${[...frac].map((d) => ONES[Number(d)]).join(' ')}` : w;
}
