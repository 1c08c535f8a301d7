// Standard normal distribution: Φ(z) and Φ⁻¹(p), to double precision.
//
// Φ follows the algorithm of Cephes ndtr (S. L. Moshier), which is what scipy.stats.norm.cdf, and so rcpchgrowth's
// centile(), evaluates: erf for |z|/√2 < 1/√2, erfc otherwise, with Cephes' published rational approximations.
// Φ⁻¹ is Wichura's algorithm AS 241 (PPND16), accurate to about 1e-16.

const SQRT1_2 = Math.SQRT1_2

// erfc(x) = exp(-x²) P(x)/Q(x) for 1 <= x < 8, exp(-x²) R(x)/S(x) for x >= 8 (Q, S monic)
const ERFC_P = Float64Array.of(
  2.46196981473530512524e-10,
  5.64189564831068821977e-1,
  7.46321056442269912687,
  4.86371970985681366614e1,
  1.96520832956077098242e2,
  5.26445194995477358631e2,
  9.3452852717195760754e2,
  1.02755188689515710272e3,
  5.57535335369399327526e2,
)
const ERFC_Q = Float64Array.of(
  1.32281951154744992508e1,
  8.67072140885989742329e1,
  3.54937778887819891062e2,
  9.75708501743205489753e2,
  1.82390916687909736289e3,
  2.24633760818710981792e3,
  1.65666309194161350182e3,
  5.57535340817727675546e2,
)
const ERFC_R = Float64Array.of(
  5.64189583547755073984e-1,
  1.27536670759978104416,
  5.01905042251180477414,
  6.16021097993053585195,
  7.4097426995044893916,
  2.9788666537210024067,
)
const ERFC_S = Float64Array.of(
  2.2605286322011727659,
  9.39603524938001434673,
  1.20489539808096656605e1,
  1.70814450747565897222e1,
  9.60896809063285878198,
  3.3690764510008151605,
)
// erf(x) = x T(x²)/U(x²) for |x| <= 1 (U monic)
const ERF_T = Float64Array.of(
  9.60497373987051638749,
  9.00260197203842689217e1,
  2.23200534594684319226e3,
  7.00332514112805075473e3,
  5.55923013010394962768e4,
)
const ERF_U = Float64Array.of(
  3.35617141647503099647e1,
  5.21357949780152679795e2,
  4.59432382970980127987e3,
  2.26290000613890934246e4,
  4.92673942608635921086e4,
)
const MAXLOG = 7.09782712893383996843e2

// Horner evaluation, highest power first (Cephes polevl; p1evl has an implicit leading 1)
function polevl(x: number, coefficients: Float64Array): number {
  let result = 0
  for (let i = 0; i < coefficients.length; i++) {
    result = result * x + (coefficients[i] as number)
  }
  return result
}

function p1evl(x: number, coefficients: Float64Array): number {
  let result = 1
  for (let i = 0; i < coefficients.length; i++) {
    result = result * x + (coefficients[i] as number)
  }
  return result
}

export function erf(x: number): number {
  if (Math.abs(x) > 1) {
    return 1 - erfc(x)
  }
  const z = x * x
  return (x * polevl(z, ERF_T)) / p1evl(z, ERF_U)
}

export function erfc(a: number): number {
  const x = Math.abs(a)
  if (x < 1) {
    return 1 - erf(a)
  }
  const z = -a * a
  if (z < -MAXLOG) {
    return a < 0 ? 2 : 0
  }
  const e = Math.exp(z)
  let y: number
  if (x < 8) {
    y = (e * polevl(x, ERFC_P)) / p1evl(x, ERFC_Q)
  } else {
    y = (e * polevl(x, ERFC_R)) / p1evl(x, ERFC_S)
  }
  if (a < 0) {
    y = 2 - y
  }
  return y
}

/** Φ(z): probability that a standard normal variable is <= z. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) {
    return Number.NaN
  }
  const x = z * SQRT1_2
  const absX = Math.abs(x)
  if (absX < SQRT1_2) {
    return 0.5 + 0.5 * erf(x)
  }
  const y = 0.5 * erfc(absX)
  return x > 0 ? 1 - y : y
}

// AS 241 coefficients
const A = [
  3.387132872796366608, 1.3314166789178437745e2, 1.9715909503065514427e3, 1.3731693765509461125e4,
  4.5921953931549871457e4, 6.7265770927008700853e4, 3.3430575583588128105e4, 2.5090809287301226727e3,
]
const B = [
  1, 4.2313330701600911252e1, 6.87187007492057908e2, 5.3941960214247511077e3, 2.1213794301586595867e4,
  3.930789580009271061e4, 2.8729085735721942674e4, 5.226495278852545925e3,
]
const C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258,
  2.4178072517745061177e-1, 2.27238449892691845833e-2, 7.7454501427834140764e-4,
]
const D = [
  1, 2.05319162663775882187, 1.6763848301838038494, 6.8976733498510000455e-1, 1.4810397642748007459e-1,
  1.51986665636164571966e-2, 5.475938084995344946e-4, 1.05075007164441684324e-9,
]
const E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 2.9656057182850489123e-1,
  2.6532189526576123093e-2, 1.2426609473880784386e-3, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
]
const F = [
  1, 5.9983220655588793769e-1, 1.3692988092273580531e-1, 1.48753612908506148525e-2, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
]

// evaluates c[0] + c[1] r + ... + c[7] r^7
function poly(c: readonly number[], r: number): number {
  let result = 0
  for (let i = c.length - 1; i >= 0; i--) {
    result = result * r + (c[i] ?? 0)
  }
  return result
}

/** Φ⁻¹(p) for 0 < p < 1 (scipy.stats.norm.ppf); ±Infinity at 0 and 1, NaN outside. */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) {
    return Number.NaN
  }
  if (p === 0) {
    return Number.NEGATIVE_INFINITY
  }
  if (p === 1) {
    return Number.POSITIVE_INFINITY
  }
  const q = p - 0.5
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q
    return (q * poly(A, r)) / poly(B, r)
  }
  let r = q < 0 ? p : 1 - p
  r = Math.sqrt(-Math.log(r))
  let value: number
  if (r <= 5) {
    r -= 1.6
    value = poly(C, r) / poly(D, r)
  } else {
    r -= 5
    value = poly(E, r) / poly(F, r)
  }
  return q < 0 ? -value : value
}
