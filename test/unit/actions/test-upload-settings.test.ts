import { describe, expect, it } from 'vitest';
import { testUploadSettings } from '../../../src/actions/test-upload-settings.js';

describe('testUploadSettings', () => {
  it('maps the testUpload section field by field, the timeout from seconds to milliseconds', () => {
    expect(testUploadSettings({ size: 7_000_000, partSize: 5_242_880, deleteAfter: false, timeoutSeconds: 42 })).toEqual({
      sizeBytes: 7_000_000,
      partSizeBytes: 5_242_880,
      deleteAfter: false,
      timeoutMs: 42_000,
    });
  });
});
