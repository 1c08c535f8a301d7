// Python number semantics that leak into RCPCH's results: round(x, n) and the repr() of a float in messages.

/**
 * Python's round(x, digits) for a float: the exact binary value is rounded to `digits` decimals with ties to even,
 * then the nearest double is returned. toFixed() rounds the exact value too but breaks ties upwards, so exact ties
 * (only possible for short binary fractions such as 0.125) are resolved by hand.
 */
export function pyRound(x: number, digits: number): number {
  if (!Number.isFinite(x) || x === 0) {
    return x
  }
  if (Math.abs(x) >= 1e21) {
    return x
  }
  const fixed = x.toFixed(digits)
  const longer = x.toFixed(digits + 1)
  const exact = x.toFixed(Math.min(100, digits + 31))
  if (longer.endsWith('5') && /^0*$/.test(exact.slice(longer.length))) {
    // exact tie: keep the even neighbour
    const truncated = longer.slice(0, -1).replace(/\.$/, '')
    const lastDigit = Number(truncated.replace('.', '').slice(-1))
    if (lastDigit % 2 === 0) {
      return Number(truncated)
    }
  }
  return Number(fixed)
}

/** round(x, 4) for the hot path: exact unless x is within 1e-6 of a rounding tie, when the exact path is used. */
export function pyRound4(x: number): number {
  const y = x * 1e4
  const floor = Math.floor(y)
  const fraction = y - floor
  if (Math.abs(fraction - 0.5) < 1e-6) {
    return pyRound(x, 4)
  }
  return (fraction < 0.5 ? floor : floor + 1) / 1e4
}

/** Python's repr() of a float, e.g. 100.0, 34.5, 1e-05, 1e+16 (JavaScript would print 100, 34.5, 0.00001, ...). */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) {
    return 'nan'
  }
  if (!Number.isFinite(x)) {
    return x > 0 ? 'inf' : '-inf'
  }
  if (x === 0) {
    return Object.is(x, -0) ? '-0.0' : '0.0'
  }
  const [mantissa = '0', exponentText = '0'] = x.toExponential().split('e')
  const exponent = Number(exponentText)
  const negative = mantissa.startsWith('-')
  const digits = mantissa.replace('-', '').replace('.', '')
  const sign = negative ? '-' : ''
  if (exponent >= -4 && exponent < 16) {
    let text: string
    if (exponent < 0) {
      text = '0.' + '0'.repeat(-exponent - 1) + digits
    } else if (digits.length > exponent + 1) {
      text = digits.slice(0, exponent + 1) + '.' + digits.slice(exponent + 1)
    } else {
      text = digits + '0'.repeat(exponent + 1 - digits.length) + '.0'
    }
    return sign + text
  }
  const body = digits.length > 1 ? digits.charAt(0) + '.' + digits.slice(1) : digits
  const exponentSign = exponent < 0 ? '-' : '+'
  return `${sign}${body}e${exponentSign}${String(Math.abs(exponent)).padStart(2, '0')}`
}
