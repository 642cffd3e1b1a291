export { createHttpApp, type CreateHttpAppOptions, type ReadinessReport } from './create-http-app';
export { listen, type ListeningServer } from './listen';
export { PROBLEM_CONTENT_TYPE, problemHandler, ProblemError, sendProblem, type FieldError } from './problem';
