export { counter, gauge, histogram } from './get-or-create-metric';
