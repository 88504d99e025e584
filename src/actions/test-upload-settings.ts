/** The configured test upload: `testUpload` settings mapped once for every caller (command, button, schedule, command line). */
import type { BucketConfig, TestUploadConfig } from '../config/schema.js';
import { runTestUpload, type TestUploadDeps, type TestUploadResult, type TestUploadSettings } from './test-upload.js';

/** The settings `runTestUpload` takes, from the `testUpload` section of the configuration. */
export function testUploadSettings(testUpload: TestUploadConfig): TestUploadSettings {
  return { sizeBytes: testUpload.size, partSizeBytes: testUpload.partSize, deleteAfter: testUpload.deleteAfter, timeoutMs: testUpload.timeoutSeconds * 1000 };
}

/** Runs the configured test upload against one bucket, under its test prefix. */
export function runConfiguredTestUpload(deps: TestUploadDeps, config: { testUpload: TestUploadConfig }, bucket: Pick<BucketConfig, 'name' | 'testPrefix'>): Promise<TestUploadResult> {
  return runTestUpload(deps, bucket.name, bucket.testPrefix, testUploadSettings(config.testUpload));
}
