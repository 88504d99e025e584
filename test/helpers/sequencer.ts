// The order test files start in. vitest's own order runs the files that took longest last time
// first; on a fresh clone, with no record of durations, it runs the largest files first, which would
// leave the long integration files (small files that wait on processes, deadlines and locks) to the
// end. Integration files go first either way; the quick, CPU-bound unit files fill the workers after.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const INTEGRATION = /[\\/]test[\\/]integration[\\/]/;

export default class IntegrationFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter((file) => INTEGRATION.test(file.moduleId)), ...sorted.filter((file) => !INTEGRATION.test(file.moduleId))];
  }
}
