// Draws the charts of docs/benchmarks.md again from the tables it holds, without running a
// benchmark: `bash bench/run.sh charts`.
import { redrawCharts } from './support/report';

for (const id of redrawCharts()) console.log(`charted section "${id}" of docs/benchmarks.md`);
