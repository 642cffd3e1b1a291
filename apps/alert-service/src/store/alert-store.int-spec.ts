import { describeAlertStoreAdmin } from './test/alert-store-admin.suite';
import { describeAlertStoreChanges } from './test/alert-store-changes.suite';

// The store suite on a single redis-server (AOF on, as production runs).
describeAlertStoreChanges('standalone', {});
describeAlertStoreAdmin('standalone', {});
