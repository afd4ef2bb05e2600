import type { Language } from '../../common/i18n/languages';

/**
 * Compact stop-word lists for the word cloud of text answers (docs/architecture.md §18): the
 * articles, pronouns, prepositions, conjunctions and auxiliaries that would otherwise fill every
 * cloud. Lower case, as the tokens are compared after lower-casing; kept short on purpose (a
 * content word wrongly dropped is worse than a filler word kept).
 */
const words = (text: string): ReadonlySet<string> => new Set(text.trim().split(/\s+/));

export const STOP_WORDS: Record<Language, ReadonlySet<string>> = {
  en: words(`
    a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can can't could did didn't do does doesn't doing don't down
    during each few for from further had has have having he her here hers herself him himself his
    how i i'm if in into is isn't it it's its itself just let's me more most my myself no nor not
    of off on once only or other our ours ourselves out over own same she should so some such than
    that that's the their theirs them themselves then there there's these they they're this those
    through to too under until up very was wasn't we were what when where which while who whom why
    will with won't would you you're your yours yourself yourselves
  `),
  es: words(`
    a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e
    el ella ellas ellos en entre era es esa esas ese eso esos esta estaba estado estar estas este
    esto estos fue fueron ha han hasta hay la las le les lo los mas más me mi mis mucho muy nada ni
    no nos nosotros o os otra otras otro otros para pero poco por porque que qué quien se sea ser
    si sí sin sobre son su sus también tan te tiene tu tus un una uno unos y ya yo él
  `),
  fr: words(`
    a à ai au aux avec avait ce ces cet cette dans de des du elle elles en est et étaient
    était été être eu il ils je la le les leur leurs lui ma mais me mes moi mon ne ni nos
    notre nous on ont ou où par pas pour que qui sa sans se ses si son sont sur ta te tes
    toi ton tu un une vos votre vous y
  `),
  de: words(`
    aber alle als also am an auch auf aus bei bin bis bist da damit dann das dass dem den denn der
    des die dies diese dieser dieses doch dort du durch ein eine einem einen einer eines er es etwas
    für hat hatte hier ich ihm ihn ihr im in ist ja jede jeder kann kein keine man mein mich mir mit
    nach nicht noch nur ob oder ohne sehr sein seine sich sie sind so über um und uns unser unter
    vom von vor war waren was weil wenn werden wie wir wird wo zu zum zur
  `),
  pt: words(`
    a à ao aos as às com como da das de dela dele deles do dos e é ela elas ele eles em entre era
    essa esse esta está este eu foi foram há isso isto já lhe mais mas me meu minha muito na não nas
    nem no nos nós o os ou para pela pelo por qual quando que se sem ser seu seus sua suas também
    te tem um uma umas uns você vocês
  `),
};
