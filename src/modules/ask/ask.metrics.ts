import { makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';

export const ASK_REQUESTS = 'ask_requests_total';
export const ASK_RETRIEVAL = 'ask_retrieval_duration_seconds';
export const ASK_ANSWER = 'ask_answer_duration_seconds';
export const ASK_TOKENS = 'ask_provider_tokens_total';

const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
export const ASK_METRICS = [
  makeCounterProvider({
    name: ASK_REQUESTS,
    help: 'Ask requests by provider and outcome',
    labelNames: ['provider', 'outcome'],
  }),
  makeHistogramProvider({ name: ASK_RETRIEVAL, help: 'Full-text retrieval latency', buckets }),
  makeHistogramProvider({ name: ASK_ANSWER, help: 'Answer provider latency', labelNames: ['provider'], buckets }),
  makeCounterProvider({
    name: ASK_TOKENS,
    help: 'Tokens reported by the answer provider',
    labelNames: ['provider', 'kind'],
  }),
];
