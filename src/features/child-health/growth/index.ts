// Growth engine: UK-WHO, Trisomy 21 and Turner SDS/centiles computed as RCPCH's rcpchgrowth (>= 4.5) does.
export * from './growth-types.js'
export {
  calculateMeasurement,
  handleCalculationRequest,
  measurementRequestSchema,
  observationValueRejection,
  validationErrorDetails,
  CALCULATION_ENGINE,
} from './growth-calculation.js'
export type {
  CalculationOptions,
  CalculationOutcome,
  MeasurementRequest,
  MeasurementRequestInput,
  MeasurementResponse,
  PlottablePoint,
  ValidationErrorDetail,
} from './growth-calculation.js'
export { calculateFast, createFastMeasurement, DATES_ERROR } from './growth-fast.js'
export type { FastMeasurement } from './growth-fast.js'
export { sdsFor, measurementForSds, medianFor, lastLookupError, lookupErrorMessage } from './growth-core.js'
export {
  centileForSds,
  sdsForCentile,
  centileBandForSds,
  createCentileLines,
  COLE_NINE_CENTILES,
  COLE_NINE_SDS,
} from './centiles.js'
export type { CentileLine, CentileLineOptions, ChartLinesBySegment } from './centiles.js'
export {
  midParentalHeight,
  midParentalHeightRequestSchema,
  midParentalHeightSds,
  classicMidParentalHeight,
} from './mid-parental-height.js'
export type { MidParentalHeightRequest, MidParentalHeightResponse } from './mid-parental-height.js'
export { calculateGrowthCsv, CSV_INPUT_COLUMNS, CSV_OUTPUT_COLUMNS } from './growth-csv.js'
export type { GrowthCsvOptions, GrowthCsvResult, GrowthCsvError } from './growth-csv.js'
export {
  parseIsoDate,
  formatIsoDate,
  daysFromCivil,
  calendarAge,
  chronologicalDecimalAge,
  correctedDecimalAge,
  estimatedDateOfDelivery,
} from './dates.js'
