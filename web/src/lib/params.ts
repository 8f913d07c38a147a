// The `QueryParams` of `create_query` and `quote` from the Ask form (pure; params.test.ts).
// The rules on them (counts, phase lengths, budget) are the runtime's: the app shows the
// runtime's own error (`quote` before signing, the dispatch error after) instead of a copy.
// polkadot.js encodes this object with the metadata's type, so field names follow the
// runtime's struct (camelCase) and enums are `{ Variant: data }` or `'Variant'`.

import { BILLION } from './format';

export interface AskForm {
  domain: number;
  prompt: string;
  mode: 'Single' | 'Swarm' | 'Debate';
  rounds: number;
  respondents: number;
  extraJudges: number;
  validators: number;
  /** Length of each phase in blocks (phases end early once everyone acted). */
  phaseLen: number;
  budget: bigint;
  aggregation: 'BradleyTerry' | 'MajorityVote';
  /** Named coordinator (address), or automatic selection. */
  coordinator: string | null;
}

export const DEFAULT_FORM: Omit<AskForm, 'budget'> = {
  domain: 5,
  prompt: 'What is 6 x 7?',
  mode: 'Swarm',
  rounds: 1,
  respondents: 5,
  extraJudges: 0,
  validators: 0,
  phaseLen: 30,
  aggregation: 'BradleyTerry',
  coordinator: null,
};

/** The runtime's `QueryParams` for this form. */
export function toParams(f: AskForm): Record<string, unknown> {
  const mode = f.mode === 'Debate' ? { Debate: { rounds: f.rounds } } : f.mode;
  // Automatic selection runs at the end of the selection phase: the shortest one (2 blocks)
  // unless a coordinator is named and needs the time to choose.
  const selecting = f.coordinator ? f.phaseLen : 2;
  return {
    mode,
    respondents: f.respondents,
    extraJudges: f.extraJudges,
    validators: f.validators,
    phases: {
      selecting,
      committing: f.phaseLen,
      revealing: f.phaseLen,
      debating: f.phaseLen,
      judging: f.phaseLen,
      validating: f.phaseLen,
    },
    // The runtime's default split (coordinator 5 %, validators 10 %, judges 15 %, answers 70 %).
    shares: {
      coordinator: BILLION * 0.05,
      validators: BILLION * 0.1,
      judges: BILLION * 0.15,
      answers: BILLION * 0.7,
    },
    answerPayout: 'Proportional',
    aggregation: f.aggregation,
    qualityThreshold: 50,
    coordinator: f.coordinator,
  };
}
