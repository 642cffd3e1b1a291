import { alertServiceSuite } from './suite/alert-service.suite';

alertServiceSuite('cluster');
