/**
 * Reply text → what the synthesiser reads aloud: money and percentages in words, no markup, no
 * symbols; and the split into sentences, so the first one can be spoken while the rest is made.
 */

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** A non-negative integer in words ("one thousand two hundred five"). */
export function numberToWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) return String(n);
  if (n < 20) return ONES[n]!;
  if (n < 100) return TENS[Math.floor(n / 10)]! + (n % 10 ? ` ${ONES[n % 10]}` : '');
  if (n < 1000) return `${ONES[Math.floor(n / 100)]} hundred` + (n % 100 ? ` ${numberToWords(n % 100)}` : '');
  for (const [size, name] of [[1e9, 'billion'], [1e6, 'million'], [1e3, 'thousand']] as const) {
    if (n >= size) return `${numberToWords(Math.floor(n / size))} ${name}` + (n % size ? ` ${numberToWords(n % size)}` : '');
  }
  return String(n);
}

/** "$12.50" → "twelve dollars fifty"; "$1,000.00" → "one thousand dollars"; "$0.50" → "fifty cents". */
export function moneyToWords(amount: string): string {
  const [whole = '0', frac = ''] = amount.replace(/,/g, '').split('.');
  const dollars = Number(whole);
  const cents = frac ? Number(frac.padEnd(2, '0').slice(0, 2)) : 0;
  if (dollars === 0 && cents > 0) return `${numberToWords(cents)} ${cents === 1 ? 'cent' : 'cents'}`;
  const d = `${numberToWords(dollars)} ${dollars === 1 ? 'dollar' : 'dollars'}`;
  return cents ? `${d} ${numberToWords(cents)}` : d;
}

/** Clean one reply for the synthesiser. */
export function speakable(text: string): string {
  return text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, 'the link')
    .replace(/[*_`#~>|]+/g, ' ')
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

/** Split a reply into sentences (a decimal point or "$11.00" is not a sentence end). */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+(?=\S)/)
    .map((s) => s.trim())
    .filter((s) => /[a-z0-9]/i.test(s));
}
