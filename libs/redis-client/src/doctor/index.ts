export { runDoctor, type RunDoctorOptions } from './run-doctor';
export { formatDoctorReport, type FormatDoctorReportOptions } from './format-doctor-report';
export type { CheckStatus, DoctorCheck, DoctorGroupReport, DoctorReport, DoctorStreamReport } from './doctor-report';
export { DEFAULT_DOCTOR_THRESHOLDS, type DoctorThresholds } from './doctor-thresholds';
export { DoctorOptionsError, DoctorTimeoutError } from './doctor-errors';
