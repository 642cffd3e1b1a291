export { accumulatingCounter, type CounterChild } from './accumulating-counter';
export { accumulatingHistogram, type AccumulatingHistogramConfig, type HistogramChild } from './accumulating-histogram';
export { counter, gauge, histogram } from './get-or-create-metric';
