// Mid-parental height (rcpchgrowth mid_parental_height.py 4.6 and the RCPCH API's /utilities/mid-parental-height).
import { z } from 'zod'
import { centileForSds, createCentileLines } from './centiles.js'
import type { ChartLinesBySegment } from './centiles.js'
import { measurementForSds, sdsFor } from './growth-core.js'
import { METHOD_CODE, REFERENCE_CODE, SEX_CODE } from './growth-types.js'
import type { Sex } from './growth-types.js'
import { pyFloatRepr, pyRound } from './python-format.js'

/** Adult age at which parental heights are compared with UK-WHO (UK90 at 20 years). */
export const ADULT_AGE = 20
/** Wright & Cheetham 1999: 90% of children are within 1.4 SD of their mid-parental SDS. */
export const MID_PARENTAL_RANGE_SDS = 1.4

export const midParentalHeightRequestSchema = z.object({
  height_paternal: z
    .number({ error: issue => (issue.input === undefined ? 'Field required' : 'Input should be a valid number') })
    .min(50, { error: 'Input should be greater than or equal to 50' })
    .max(245, { error: 'Input should be less than or equal to 245' }),
  height_maternal: z
    .number({ error: issue => (issue.input === undefined ? 'Field required' : 'Input should be a valid number') })
    .min(50, { error: 'Input should be greater than or equal to 50' })
    .max(245, { error: 'Input should be less than or equal to 245' }),
  sex: z.enum(['male', 'female'], {
    error: issue => (issue.input === undefined ? 'Field required' : "Input should be 'male' or 'female'"),
  }),
})
export type MidParentalHeightRequest = z.output<typeof midParentalHeightRequestSchema>

function adultHeightSds(height: number, sex: Sex): number {
  return sdsFor(REFERENCE_CODE['uk-who'], METHOD_CODE.height, SEX_CODE[sex], ADULT_AGE, height)
}

function adultHeightForSds(sds: number, sex: Sex): number {
  return measurementForSds(REFERENCE_CODE['uk-who'], METHOD_CODE.height, SEX_CODE[sex], ADULT_AGE, sds)
}

/** Parental height SDS at 20 years; a height beyond ±8 SD is rejected as an error (rcpchgrowth 4.6). */
export function parentalHeightSds(height: number, parent: 'maternal' | 'paternal'): number {
  const sds = adultHeightSds(height, parent === 'maternal' ? 'female' : 'male')
  if (sds < -8) {
    throw new RangeError(
      `The ${parent} height of ${pyFloatRepr(height)} cm is below -8 SD and considered to be an error.`,
    )
  }
  if (sds > 8) {
    throw new RangeError(
      `The ${parent} height of ${pyFloatRepr(height)} cm is above +8 SD and considered to be an error.`,
    )
  }
  return sds
}

/** Tanner's mid-parental height: (father + mother ± 13) / 2 cm (+13 for boys, −13 for girls). */
export function classicMidParentalHeight(heightMaternal: number, heightPaternal: number, sex: Sex): number {
  parentalHeightSds(heightMaternal, 'maternal')
  parentalHeightSds(heightPaternal, 'paternal')
  return sex === 'male' ? (heightMaternal + heightPaternal + 13) / 2 : (heightMaternal + heightPaternal - 13) / 2
}

/** Mid-parental height SDS: the mean of the parents' SDS times the regression coefficient 0.5, i.e. their sum / 4. */
export function midParentalHeightSds(heightMaternal: number, heightPaternal: number): number {
  return (parentalHeightSds(heightMaternal, 'maternal') + parentalHeightSds(heightPaternal, 'paternal')) / 4
}

export interface MidParentalHeightResponse {
  readonly mid_parental_height: number
  readonly mid_parental_height_sds: number
  readonly mid_parental_height_centile: number
  readonly mid_parental_height_centile_data: ChartLinesBySegment[] | null
  readonly mid_parental_height_lower_centile_data: ChartLinesBySegment[] | null
  readonly mid_parental_height_upper_centile_data: ChartLinesBySegment[] | null
  readonly mid_parental_height_lower_value: number
  readonly mid_parental_height_upper_value: number
}

/**
 * The RCPCH mid-parental height response (server 5.1): the SDS (2 d.p.) is (maternal SDS + paternal SDS) / 4; the
 * mid-parental height is the child's adult height at that SDS (1 d.p.), with its centile (2 d.p.), and the target
 * range is that SDS ± 1.4 converted to adult heights (1 d.p.). Centile lines for the three SDS are included unless
 * `includeCentileData` is false. Throws RangeError for a parental height beyond ±8 SD.
 */
export function midParentalHeight(
  request: MidParentalHeightRequest,
  options: { readonly includeCentileData?: boolean } = {},
): MidParentalHeightResponse {
  const sds = pyRound(midParentalHeightSds(request.height_maternal, request.height_paternal), 2)
  const lower = sds - MID_PARENTAL_RANGE_SDS
  const upper = sds + MID_PARENTAL_RANGE_SDS
  const includeLines = options.includeCentileData ?? true
  const lines = (z: number): ChartLinesBySegment[] | null =>
    includeLines
      ? createCentileLines({ measurementMethod: 'height', sex: request.sex, centileFormat: [z], isSds: true })
      : null
  return {
    mid_parental_height: pyRound(adultHeightForSds(sds, request.sex), 1),
    mid_parental_height_sds: sds,
    mid_parental_height_centile: pyRound(centileForSds(sds), 2),
    mid_parental_height_centile_data: lines(sds),
    mid_parental_height_lower_centile_data: lines(pyRound(lower, 2)),
    mid_parental_height_upper_centile_data: lines(pyRound(upper, 2)),
    mid_parental_height_lower_value: pyRound(adultHeightForSds(lower, request.sex), 1),
    mid_parental_height_upper_value: pyRound(adultHeightForSds(upper, request.sex), 1),
  }
}
