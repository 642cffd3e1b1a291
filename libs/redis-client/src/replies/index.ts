export {
  compareStreamIds,
  errorMessage as replyErrorMessage,
  parseCommaPairs,
  parseFlatMap,
  parseInfo,
  streamIdMs,
  toNumber,
  toNumberOrNull,
} from './parse-redis-reply';
