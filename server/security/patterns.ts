/**
 * The scanners' rules as named regexes over lower-cased, de-obfuscated text. Each rule is narrow on
 * purpose: bar talk is full of look-alikes ("ignore the ice", "forget the lime", "I'm the system admin
 * of my house", "shut up and take my money") that must pass. server/security/corpus/ holds both sides.
 */
type Rule = readonly [name: string, pattern: RegExp];

const RULE_NOUNS =
  '(instructions?|prompts?|rules|directives?|guidelines|programming|system (prompt|message)|context|constraints|guardrails|restrictions|training|orders from)';
const QUANTIFIERS =
  '((all|any|the|your|my|of|previous|prior|above|earlier|preceding|these|those|that|original|initial|existing|current|system) )*';

export const INJECTION_PATTERNS: readonly Rule[] = [
  [
    'override instructions',
    new RegExp(
      `\\b(ignore|disregard|forget|override|bypass|skip|drop|abandon|neglect|delete|erase) ${QUANTIFIERS}${RULE_NOUNS}\\b`,
    ),
  ],
  [
    'forget everything',
    /\b(forget|ignore|disregard) (everything|all|anything)( (you (were|have been|ve been) (told|taught|given)|you know)| (above|before this|so far))\b/,
  ],
  [
    'ignore the above',
    /\b(ignore|disregard|forget) (all of |everything )?(the |what s |what is )?(above|preceding)\b/,
  ],
  [
    'new persona',
    /\b((you are|you re|youre) now (a |an |the |in )?(ai|assistant|chatbot|dan|unrestricted|unfiltered|evil|jailbroken|free|no longer|developer|god|admin|debug|going to|called|named|different|new|my (slave|servant|assistant))|from now on,? you (are|will|must|re) (be |only |now )?(ignore|answer|respond|act|obey|reply|speak|talk|pretend|follow)|you will now act|you must now|you must obey)\b/,
  ],
  [
    'ask instructions',
    /\b(reveal|show|print|repeat|tell me|what (are|were)|give me|output|leak|dump|display|recite|list) (me )?your (instructions|prompt|programming|guidelines|directives|rules)\b(?! for| on| to make| about)/,
  ],
  [
    'act as',
    /\b(act|behave|respond|answer) (as|like) (an? )?(ai|assistant|chatbot|system|admin(istrator)?|developer|dan|jailbroken|unrestricted|unfiltered|evil|linux|terminal|shell|python|different (ai|assistant|model|character)|language model)\b/,
  ],
  [
    'pretend to be',
    /\bpretend (to be|you are|you re|youre|that you are) (an? |the )?(ai|assistant|admin|developer|unrestricted|unfiltered|evil|different|dan|system|jailbroken|human with no rules)\b/,
  ],
  ['special mode', /\b(developer|dev|god|debug|admin|maintenance|jailbreak|dan|sudo|root) mode\b/],
  ['jailbreak', /\b(jailbreak|jailbroken|do anything now|dan prompt)\b/],
  [
    'reveal prompt',
    /\b(reveal|show|print|repeat|tell me|what (is|are|was|were)|give me|output|leak|dump|display|read( out)?|list|recite) (me )?(your|the) ((system|initial|original|hidden|secret|internal|full) )+(prompt|instructions?|rules|message|configuration|config)\b/,
  ],
  [
    'reveal secrets',
    /\b(your|the) (system prompt|initial prompt|api keys?|secret keys?|master key|source code|environment variables|hidden instructions)\b/,
  ],
  [
    'chat markup',
    /(<\|?im_(start|end)\|?>|\[\/?inst\]|<\/?(system|assistant|instructions?)>|^\s*(system|assistant|developer)\s*:|###\s*(system|instructions?|new instructions?)|\brole\s*:\s*(system|developer)\b)/,
  ],
  [
    'new instructions',
    /\b(new|updated|revised|real|actual|secret) (instructions|system prompt|orders from (your|the) (developer|creator|admin))\b/,
  ],
  [
    'no restrictions',
    /\b(without|with no|have no|has no|no longer have) (any )?(restrictions|filters|limits|rules|guardrails|censorship)\b/,
  ],
  [
    'repeat the above',
    /\b(repeat|print|summari[sz]e|translate|output) (everything|all( of)?( the)?( text)?|the (text|words|message)) (above|before this)\b/,
  ],
  [
    'tamper money',
    /\b(set|change|make|update|reset) (my |the )?(balance|tab|price|prices|total|bill|credit)s? (to|=|at) /,
  ],
  [
    'tamper price',
    /\b(set|change|make|update|lower|drop) (the |all )?(price|prices|cost)s? of [a-z ]{2,40} (to|=|at) /,
  ],
  [
    'credit balance',
    /\b(add|give|credit|put|transfer) (me )?\$?\d[\d,]* (dollars |bucks )?(to|on|onto|into) (my )?(balance|account|credit)\b/,
  ],
  [
    'mark paid',
    /\bmark (it|this|my (tab|bill|order)|the (tab|bill|order)) (as )?(paid|complete|completed)\b/,
  ],
  [
    'call tools',
    /\b(call|invoke|execute|run) (the )?(tool|function|api)s?\b.*\b(create_payment|add_to_order|set_tip|remove_from_order|with (arguments|args|parameters))\b/,
  ],
];

const INSULT_WORDS =
  '(stupid|idiot|idiotic|moron|dumb|useless|bitch|slut|whore|cunt|retard(ed)?|loser|ugly|pathetic|worthless|trash|garbage|piece of (shit|crap)|dumbass|asshole|twat|skank)';

export const ABUSE_PATTERNS: readonly Rule[] = [
  ['swearing at maya', /\b(fuck|screw|f) (you|u|off|yourself)\b|\bgo to hell\b|\bgo fuck\b/],
  [
    'insult',
    new RegExp(
      `\\b(you|you re|youre|ur|u r|you are)( (a|an|such a|so|fucking|really|complete|total|little|an absolute))* ${INSULT_WORDS}\\b`,
    ),
  ],
  [
    'insult object',
    /\b(stupid|dumb|fucking|useless|worthless) (bitch|bot|robot|machine|bartender|ai|whore|cunt|slut|piece of (shit|junk))\b/,
  ],
  ['shut up', /\bshut (the fuck |the hell )?up\b(?! and take my money)/],
  [
    'threat',
    /\b(kill yourself|kys|(i ll|i will|i m going to|im gonna|i m gonna|gonna) (kill|hurt|rape|beat|stab|shoot) you)\b/,
  ],
  ['slur', /\b(faggot|fag|tranny|nigger|nigga|kike|spic|chink|retard)s?\b/],
];

export const OUTPUT_LEAK_PATTERNS: readonly Rule[] = [
  ['google key', /AIza[0-9A-Za-z_-]{20,}/],
  ['stripe key', /\b(sk|rk)_(live|test)_[0-9A-Za-z]{8,}/],
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['key assignment', /\b(api[_ ]?key|master[_ ]?key|password|secret)\s*[:=]\s*\S{6,}/i],
  [
    'prompt leak',
    /\b(system prompt|my instructions (are|say)|i was instructed to|my (initial|original) prompt)\b/i,
  ],
  ['model talk', /\bas an ai (language )?model\b|\bi am (just )?an? (ai|large) language model\b/i],
  ['chat markup', /<\|?im_(start|end)\|?>|\[\/?inst\]|<\/?system>/i],
  ['env var', /\bMAYA_MASTER_KEY\b|\bGEMINI_API_KEY\b|\bCARTESIA_API_KEY\b|\bSTRIPE_SECRET_KEY\b/],
];
