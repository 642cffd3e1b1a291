import { describeAlertStoreAdmin } from './test/alert-store-admin.suite';
import { describeAlertStoreChanges } from './test/alert-store-changes.suite';

// The same suite on a 3-master Redis Cluster: every script's keys must share one hash slot.
describeAlertStoreChanges('cluster', { mode: 'cluster' });
describeAlertStoreAdmin('cluster', { mode: 'cluster' });
