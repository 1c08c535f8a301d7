import crypto from 'node:crypto'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Tx } from '../../db/database.js'
import { recordAuditEvent } from '../../platform/audit/audit.js'
import { ForbiddenError, NotFoundError } from '../../platform/errors.js'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import { formValues, type FormErrors } from '../../platform/validation.js'
import {
  describeAge,
  familyAccessorOf,
  withFamilyAccess,
  type FamilyAccessPurpose,
  type FamilyPermission,
} from '../families/index.js'
import {
  findMeasurementForUpdate,
  insertCorrection,
  insertMeasurement,
  insertNote,
  isUuid,
  listChildrenOfFamily,
  listFamiliesOfChild,
  listFamiliesOfMember,
  loadRedBook,
  nhsNumberUsedByAnother,
  saveBirthDetails,
  type MeasurementRow,
  type RedBookRows,
} from './child-health-store.js'
import { formatValue, methodNames, methodWords } from './child-growth.js'
import {
  checkMeasurementForChild,
  noteMaximumLength,
  parseCorrectionForm,
  parseMeasurementForm,
  parseNoteForm,
  unitNames,
  type DatePart,
  type ParsedMeasurement,
} from './measurement-forms.js'
import { buildRedBook, growthBasisOf, type Audience } from './red-book.js'
import {
  BirthDetailsErrors,
  parseBirthDetailsForm,
  type BirthDetailsProblems,
  type ParsedBirthDetails,
} from './birth-details-form.js'
import { formatDate, todayInEngland } from './red-book-text.js'

const views = 'features/child-health/views'

/**
 * Thrown inside an access transaction when a change is not saved (invalid input, or a value to confirm): rolls back
 * the transaction, and carries what the page needs to show the form again.
 */
class NotSaved extends Error {
  override name = 'NotSaved'
  constructor(
    readonly reason: string,
    readonly familyId: string,
    readonly rows: RedBookRows,
    readonly fields: string[],
    readonly page: Record<string, unknown>,
  ) {
    super(reason)
  }
}

interface ChildAccess {
  permission: FamilyPermission
  purpose: FamilyAccessPurpose
  /** The audit action (default: the permission, or own-family.read for a parent). */
  action?: string
  details?: Record<string, string>
}

function childIdOf(request: FastifyRequest): string {
  const params = request.params as { childId?: unknown }
  return typeof params.childId === 'string' ? params.childId : ''
}

function measurementIdOf(request: FastifyRequest): string {
  const params = request.params as { measurementId?: unknown }
  return typeof params.measurementId === 'string' ? params.measurementId : ''
}

function queryOf(request: FastifyRequest): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>
}

/** The digital red book: the child's record, growth charts, measurements and corrections, and parents' notes. */
export function childHealthRoutes({ db }: RouteDeps): FastifyPluginAsync {
  function purposeOf(request: FastifyRequest): FamilyAccessPurpose {
    const permissions = request.activeUser().permissions
    return permissions.has('front-door.triage') && !permissions.has('caseload.read') ? 'triage' : 'direct_support'
  }

  /**
   * Opens the child's record through the family they belong to (withFamilyAccess: authorised against a care
   * relationship or family membership, and audited). A malformed or unknown child id is a 404, audited as denied.
   */
  async function withChild<T>(
    request: FastifyRequest,
    access: ChildAccess,
    work: (trx: Tx, familyId: string, rows: RedBookRows) => Promise<T>,
  ): Promise<T> {
    const childId = childIdOf(request)
    const accessor = familyAccessorOf(request)
    const action =
      access.action ?? (request.activeUser().user.kind === 'parent' ? 'own-family.read' : access.permission)
    if (!isUuid(childId)) {
      await recordAuditEvent(db, accessor.context, {
        action,
        outcome: 'denied',
        purpose: access.purpose,
        reason: 'malformed child id',
        details: { permission: access.permission },
      })
      throw new NotFoundError('Page not found')
    }
    const familyIds = await listFamiliesOfChild(db, childId, accessor.user.personId)
    if (familyIds.length === 0) {
      await recordAuditEvent(db, accessor.context, {
        action,
        outcome: 'denied',
        purpose: access.purpose,
        reason: 'unknown child',
        subject: { type: 'person', id: childId },
        details: { permission: access.permission },
      })
      throw new NotFoundError('Page not found')
    }
    // A child is almost always in one household. If in several, the first one the user may open is used.
    let refusal: unknown
    for (const familyId of familyIds) {
      try {
        return await withFamilyAccess(
          db,
          accessor,
          {
            familyId,
            permission: access.permission,
            purpose: access.purpose,
            ...(access.action ? { action: access.action } : {}),
            details: { childId, ...access.details },
          },
          async trx => {
            const rows = await loadRedBook(trx, familyId, childId)
            if (!rows) {
              throw new NotFoundError('Page not found')
            }
            return work(trx, familyId, rows)
          },
        )
      } catch (error) {
        if (!(error instanceof ForbiddenError || error instanceof NotFoundError)) {
          throw error
        }
        refusal = error
      }
    }
    throw refusal
  }

  /** After a change was not saved: the refusal is recorded (the transaction that read the record was rolled back). */
  async function auditNotSaved(
    request: FastifyRequest,
    action: string,
    purpose: FamilyAccessPurpose,
    error: NotSaved,
    details: Record<string, string>,
  ) {
    await recordAuditEvent(db, request.auditContext(), {
      action,
      outcome: 'denied',
      purpose,
      reason: error.reason,
      subject: { type: 'family', id: error.familyId },
      details: { childId: childIdOf(request), ...details, fields: error.fields },
    })
  }

  // ---- the red book ----

  async function showRedBook(
    request: FastifyRequest,
    reply: FastifyReply,
    audience: Audience,
    rows: RedBookRows,
    extra: Record<string, unknown> = {},
  ) {
    const childId = rows.child.id
    const query = queryOf(request)
    const basePath = audience === 'parent' ? `/my-family/children/${childId}` : `/children/${childId}`
    const canUpdate = audience === 'practitioner' && request.activeUser().permissions.has('family-record.update')
    const print = query.print === '1'
    const book = buildRedBook(rows, {
      audience,
      today: todayInEngland(),
      range: query.range,
      ages: query.ages,
      basePath,
      canCorrect: canUpdate && !print,
    })
    return reply.page(`${views}/${print ? 'red-book-print' : 'red-book'}.njk`, {
      title: print ? `Growth charts for ${book.name}` : `Red book: ${book.name}`,
      book,
      audience,
      basePath,
      canUpdate,
      printHref: `${basePath}?${new URLSearchParams({ range: book.range, print: '1' }).toString()}`,
      backHref: audience === 'parent' ? '/my-family/children' : '/families',
      hasBirthDetails: rows.birth !== null,
      birthDetailsHref: `/children/${childId}/birth-details`,
      noteMaximumLength,
      ...extra,
    })
  }

  // ---- a new measurement ----

  function formContext(
    rows: RedBookRows,
    values: Record<string, string>,
    problems?: { errors: FormErrors; dateParts: DatePart[] },
  ) {
    const errorParts = new Set(problems?.dateParts ?? [])
    const dateItem = (name: DatePart, width: number) => ({
      name,
      classes: `govuk-input--width-${String(width)}${errorParts.has(name) ? ' govuk-input--error' : ''}`,
      value: values[`observationDate-${name}`],
    })
    return {
      child: rows.child,
      name: `${rows.child.givenName} ${rows.child.familyName}`,
      birthDate: growthBasisOf(rows.child, rows.birth).birthDate,
      values,
      errors: problems?.errors,
      dateItems: [dateItem('day', 2), dateItem('month', 2), dateItem('year', 4)],
      methodItems: (['weight', 'height', 'ofc'] as const).map(method => ({
        value: method,
        text: methodNames[method],
        checked: values.measurementMethod === method,
        ...(method === 'height' ? { hint: { text: 'Lying length under 2 years, standing height from 2 years' } } : {}),
      })),
      unitItems: (['kg', 'g', 'cm', 'mm'] as const).map(unit => ({
        value: unit,
        text: unitNames[unit],
        checked: values.unit === unit,
      })),
    }
  }

  async function showMeasurementForm(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string> = {},
  ) {
    const rows = await withChild(
      request,
      {
        permission: 'family-record.update',
        purpose: purposeOf(request),
        action: 'family-record.read',
        details: { page: 'growth-measurement-form' },
      },
      async (_trx, _familyId, rows) => rows,
    )
    return reply.page(`${views}/measurement-new.njk`, { title: 'Add a measurement', ...formContext(rows, values) })
  }

  // ---- birth details ----

  /** What the form shows first: the recorded birth details, else the person record's date of birth, sex and NHS number. */
  function birthDetailsValues(rows: RedBookRows): Record<string, string> {
    const { child, birth } = rows
    const values: Record<string, string> = { birthOrder: String(birth?.birthOrder ?? 1) }
    const birthDate = birth?.birthDate ?? child.dateOfBirth
    if (birthDate) {
      const [year = '', month = '', day = ''] = birthDate.split('-')
      values['dateOfBirth-day'] = String(Number(day))
      values['dateOfBirth-month'] = String(Number(month))
      values['dateOfBirth-year'] = year
    }
    if (birth?.birthTime) {
      values['birthTime-hours'] = birth.birthTime.slice(0, 2)
      values['birthTime-minutes'] = birth.birthTime.slice(3, 5)
    }
    if (child.sex) {
      values.sex = child.sex
    }
    if (birth) {
      values['gestation-weeks'] = String(birth.gestationWeeks)
      values['gestation-days'] = String(birth.gestationDays)
      if (birth.birthWeightGrams !== null) {
        values.birthWeight = String(birth.birthWeightGrams)
      }
    }
    if (child.nhsNumber) {
      values.nhsNumber = child.nhsNumber
    }
    return values
  }

  function birthDetailsContext(rows: RedBookRows, values: Record<string, string>, problems?: BirthDetailsProblems) {
    const marked = new Set<string>([
      ...(problems?.dateParts ?? []),
      ...(problems?.timeParts ?? []),
      ...(problems?.gestationParts ?? []),
    ])
    const item = (prefix: string, name: string, label: string, width: number) => ({
      name,
      label,
      classes: `govuk-input--width-${String(width)}${marked.has(name) ? ' govuk-input--error' : ''}`,
      value: values[`${prefix}-${name}`],
    })
    return {
      title: rows.birth ? 'Change birth details' : 'Record birth details',
      child: rows.child,
      name: `${rows.child.givenName} ${rows.child.familyName}`,
      values,
      errors: problems?.errors,
      dateItems: [
        item('dateOfBirth', 'day', 'Day', 2),
        item('dateOfBirth', 'month', 'Month', 2),
        item('dateOfBirth', 'year', 'Year', 4),
      ],
      timeItems: [item('birthTime', 'hours', 'Hour', 2), item('birthTime', 'minutes', 'Minutes', 2)],
      gestationItems: [item('gestation', 'weeks', 'Weeks', 2), item('gestation', 'days', 'Days', 2)],
      sexItems: [
        { value: 'female', text: 'Female', checked: values.sex === 'female' },
        { value: 'male', text: 'Male', checked: values.sex === 'male' },
      ],
    }
  }

  /** The fields whose stored value the change alters (names only: these go in the audit trail). */
  function changedBirthFields(rows: RedBookRows, next: ParsedBirthDetails): string[] {
    const { child, birth } = rows
    const changed: string[] = []
    const compare = (field: string, before: unknown, after: unknown) => {
      if (before !== after) {
        changed.push(field)
      }
    }
    if (child.dateOfBirth !== next.birthDate || (birth && birth.birthDate !== next.birthDate)) {
      changed.push('dateOfBirth')
    }
    compare('birthTime', birth?.birthTime?.slice(0, 5) ?? null, next.birthTime)
    compare('sex', child.sex, next.sex)
    compare('gestationWeeks', birth?.gestationWeeks, next.gestationWeeks)
    compare('gestationDays', birth?.gestationDays, next.gestationDays)
    compare('birthWeightGrams', birth?.birthWeightGrams, next.birthWeightGrams)
    compare('birthOrder', birth?.birthOrder, next.birthOrder)
    compare('nhsNumber', child.nhsNumber, next.nhsNumber)
    return changed
  }

  async function showBirthDetailsForm(request: FastifyRequest, reply: FastifyReply) {
    const rows = await withChild(
      request,
      {
        permission: 'family-record.update',
        purpose: purposeOf(request),
        action: 'family-record.read',
        details: { page: 'birth-details-form' },
      },
      async (_trx, _familyId, rows) => rows,
    )
    return reply.page(`${views}/birth-details.njk`, birthDetailsContext(rows, birthDetailsValues(rows)))
  }

  // ---- a correction ----

  function correctionContext(rows: RedBookRows, measurement: MeasurementRow) {
    return {
      child: rows.child,
      name: `${rows.child.givenName} ${rows.child.familyName}`,
      measurement,
      suffix: measurement.method === 'weight' ? 'kg' : 'cm',
      valueLabel: `Correct ${methodWords[measurement.method]}`,
      summaryRows: [
        { key: { text: 'Measurement' }, value: { text: methodNames[measurement.method] } },
        { key: { text: 'Date measured' }, value: { text: formatDate(measurement.observationDate) } },
        { key: { text: 'Value recorded' }, value: { text: formatValue(measurement.method, measurement.value) } },
        {
          key: { text: 'Recorded by' },
          value: { text: `${measurement.measuredByName ?? 'Not recorded'} on ${formatDate(measurement.recordedAt)}` },
        },
      ],
    }
  }

  async function findCurrentMeasurement(trx: Tx, rows: RedBookRows, measurementId: string): Promise<MeasurementRow> {
    const measurement = isUuid(measurementId)
      ? await findMeasurementForUpdate(trx, rows.child.id, measurementId)
      : undefined
    if (!measurement) {
      throw new NotFoundError('Page not found')
    }
    return measurement
  }

  return async app => {
    const readAccess = { config: { access: { permission: 'family-record.read' as const } } }
    const updateAccess = { config: { access: { permission: 'family-record.update' as const } } }
    const parentAccess = { config: { access: { permission: 'own-family.read' as const } } }

    app.get('/children/:childId', readAccess, async (request, reply) => {
      const rows = await withChild(
        request,
        { permission: 'family-record.read', purpose: purposeOf(request), details: { page: 'red-book' } },
        async (_trx, _familyId, rows) => rows,
      )
      const saved = queryOf(request).saved
      return showRedBook(request, reply, 'practitioner', rows, {
        saved:
          saved === 'measurement'
            ? 'The measurement has been saved.'
            : saved === 'correction'
              ? 'The correction has been saved. The old value is kept in the history.'
              : saved === 'birth-details'
                ? 'The birth details have been saved.'
                : undefined,
      })
    })

    app.get('/children/:childId/birth-details', updateAccess, async (request, reply) =>
      showBirthDetailsForm(request, reply),
    )

    app.post('/children/:childId/birth-details', updateAccess, async (request, reply) => {
      const values = formValues(request.body)
      const session = request.activeUser()
      const purpose = purposeOf(request)
      try {
        await withChild(
          request,
          { permission: 'family-record.update', purpose, details: { page: 'birth-details' } },
          async (trx, familyId, rows) => {
            const parsed = parseBirthDetailsForm(request.body, todayInEngland())
            const notSaved = (problems: BirthDetailsProblems) =>
              new NotSaved('invalid birth details', familyId, rows, Object.keys(problems.errors.fields), {
                ...birthDetailsContext(rows, values, problems),
              })
            if (!parsed.ok) {
              throw notSaved(parsed)
            }
            const birth = parsed.value
            const collector = new BirthDetailsErrors()
            const firstMeasured = rows.measurements
              .filter(row => row.supersededBy === null)
              .map(row => row.observationDate)
              .sort()[0]
            if (firstMeasured !== undefined && birth.birthDate > firstMeasured) {
              collector.add(
                'dateOfBirth',
                `Date of birth must be on or before the first measurement, ${formatDate(firstMeasured)}`,
                '#dateOfBirth-day',
              )
              collector.dateParts = ['day', 'month', 'year']
            }
            if (await nhsNumberUsedByAnother(trx, birth.nhsNumber, rows.child.id)) {
              collector.add(
                'nhsNumber',
                'This NHS number is already recorded for someone else. Check it with the child health records team',
              )
            }
            if (!collector.empty) {
              throw notSaved(collector.problems())
            }
            const fields = changedBirthFields(rows, birth)
            await saveBirthDetails(trx, {
              personId: rows.child.id,
              ...birth,
              laCode: rows.child.laCode,
              recordedBy: session.user.id,
            })
            await recordAuditEvent(trx, request.auditContext(), {
              action: 'child-birth-details.update',
              outcome: 'allowed',
              purpose,
              subject: { type: 'person', id: rows.child.id },
              details: { childId: rows.child.id, familyId, created: rows.birth === null, fields },
            })
          },
        )
      } catch (error) {
        if (error instanceof NotSaved) {
          await auditNotSaved(request, 'child-birth-details.update', purpose, error, {})
          reply.code(400)
          return reply.page(`${views}/birth-details.njk`, error.page)
        }
        throw error
      }
      return reply.redirect(`/children/${childIdOf(request)}?saved=birth-details`, 303)
    })

    app.get('/children/:childId/measurements/new', updateAccess, async (request, reply) =>
      showMeasurementForm(request, reply),
    )

    app.post('/children/:childId/measurements/new', updateAccess, async (request, reply) => {
      const values = formValues(request.body)
      if (values.confirmed === 'change') {
        return showMeasurementForm(request, reply, values)
      }
      const session = request.activeUser()
      const purpose = purposeOf(request)
      const measurementId = crypto.randomUUID()
      try {
        await withChild(
          request,
          {
            permission: 'family-record.update',
            purpose,
            action: 'growth-measurement.create',
            details: { measurementId },
          },
          async (trx, familyId, rows) => {
            const parsed = parseMeasurementForm(request.body, todayInEngland())
            if (!parsed.ok) {
              throw new NotSaved('invalid measurement', familyId, rows, Object.keys(parsed.errors.fields), {
                status: 400,
                ...formContext(rows, values, parsed),
              })
            }
            const measurement: ParsedMeasurement = parsed.value
            const basis = growthBasisOf(rows.child, rows.birth)
            const check = checkMeasurementForChild(measurement, {
              basis,
              givenName: rows.child.givenName,
              birthWeightGrams: rows.birth?.birthWeightGrams ?? null,
              measurements: rows.measurements.filter(row => row.supersededBy === null),
            })
            if (!check.ok) {
              throw new NotSaved('invalid measurement', familyId, rows, Object.keys(check.errors.fields), {
                status: 400,
                ...formContext(rows, values, check),
              })
            }
            if (check.warnings.length > 0 && values.confirmed !== 'yes') {
              throw new NotSaved('measurement to be confirmed', familyId, rows, [], {
                status: 200,
                template: 'measurement-check.njk',
                title: 'Check this measurement',
                name: `${rows.child.givenName} ${rows.child.familyName}`,
                child: rows.child,
                warnings: check.warnings,
                values,
                summaryRows: [
                  { key: { text: 'Date measured' }, value: { text: formatDate(measurement.observationDate) } },
                  { key: { text: 'Measurement' }, value: { text: methodNames[measurement.method] } },
                  { key: { text: 'Value' }, value: { text: formatValue(measurement.method, measurement.value) } },
                  { key: { text: 'Where' }, value: { text: measurement.place ?? 'Not recorded' } },
                ],
              })
            }
            await insertMeasurement(trx, {
              id: measurementId,
              personId: rows.child.id,
              observationDate: measurement.observationDate,
              method: measurement.method,
              unit: measurement.unit,
              value: measurement.value,
              measuredByUserId: session.user.id,
              measuredByRole: session.user.profession ?? session.user.roleCode,
              source: 'practitioner',
              place: measurement.place,
              laCode: rows.child.laCode,
            })
          },
        )
      } catch (error) {
        if (error instanceof NotSaved) {
          await auditNotSaved(request, 'growth-measurement.create', purpose, error, {})
          const { status, template, ...page } = error.page as { status: number; template?: string }
          reply.code(status)
          return reply.page(`${views}/${template ?? 'measurement-new.njk'}`, { title: 'Add a measurement', ...page })
        }
        throw error
      }
      return reply.redirect(`/children/${childIdOf(request)}?saved=measurement#measurements`, 303)
    })

    app.get('/children/:childId/measurements/:measurementId/correct', updateAccess, async (request, reply) => {
      const { rows, measurement } = await withChild(
        request,
        {
          permission: 'family-record.update',
          purpose: purposeOf(request),
          action: 'family-record.read',
          details: { page: 'growth-measurement-correction-form' },
        },
        async (trx, _familyId, rows) => ({
          rows,
          measurement: await findCurrentMeasurement(trx, rows, measurementIdOf(request)),
        }),
      )
      if (measurement.supersededBy !== null) {
        return reply.page(`${views}/measurement-corrected-already.njk`, {
          title: 'This measurement has already been corrected',
          child: rows.child,
        })
      }
      return reply.page(`${views}/measurement-correct.njk`, {
        title: 'Correct a measurement',
        ...correctionContext(rows, measurement),
        values: {},
      })
    })

    app.post('/children/:childId/measurements/:measurementId/correct', updateAccess, async (request, reply) => {
      const values = formValues(request.body)
      const session = request.activeUser()
      const purpose = purposeOf(request)
      const measurementId = measurementIdOf(request)
      const correctionId = crypto.randomUUID()
      try {
        await withChild(
          request,
          {
            permission: 'family-record.update',
            purpose,
            action: 'growth-measurement.correct',
            details: { measurementId: isUuid(measurementId) ? measurementId : 'malformed', correctionId },
          },
          async (trx, familyId, rows) => {
            const measurement = await findCurrentMeasurement(trx, rows, measurementId)
            if (measurement.supersededBy !== null) {
              throw new NotSaved('measurement already corrected', familyId, rows, [], {
                status: 409,
                template: 'measurement-corrected-already.njk',
                title: 'This measurement has already been corrected',
                child: rows.child,
              })
            }
            const parsed = parseCorrectionForm(request.body, measurement)
            let errors = parsed.ok ? undefined : parsed.errors
            if (parsed.ok) {
              const check = checkMeasurementForChild(
                {
                  observationDate: measurement.observationDate,
                  method: measurement.method,
                  unit: measurement.unit,
                  value: parsed.value.value,
                  place: measurement.place,
                },
                {
                  basis: growthBasisOf(rows.child, rows.birth),
                  givenName: rows.child.givenName,
                  birthWeightGrams: null,
                  measurements: [],
                },
              )
              if (!check.ok) {
                errors = check.errors
              }
            }
            if (errors || !parsed.ok) {
              throw new NotSaved('invalid correction', familyId, rows, Object.keys(errors?.fields ?? {}), {
                status: 400,
                title: 'Correct a measurement',
                template: 'measurement-correct.njk',
                ...correctionContext(rows, measurement),
                values,
                errors,
              })
            }
            const corrected = await insertCorrection(trx, measurement, {
              id: correctionId,
              personId: rows.child.id,
              observationDate: measurement.observationDate,
              method: measurement.method,
              unit: measurement.unit,
              value: parsed.value.value,
              measuredByUserId: session.user.id,
              measuredByRole: session.user.profession ?? session.user.roleCode,
              source: 'practitioner',
              place: measurement.place,
              laCode: rows.child.laCode,
              correctionReason: parsed.value.reason,
            })
            if (!corrected) {
              throw new NotSaved('measurement already corrected', familyId, rows, [], {
                status: 409,
                template: 'measurement-corrected-already.njk',
                title: 'This measurement has already been corrected',
                child: rows.child,
              })
            }
          },
        )
      } catch (error) {
        if (error instanceof NotSaved) {
          await auditNotSaved(request, 'growth-measurement.correct', purpose, error, { measurementId })
          const { status, template, ...page } = error.page as { status: number; template: string }
          reply.code(status)
          return reply.page(`${views}/${template}`, page)
        }
        throw error
      }
      return reply.redirect(`/children/${childIdOf(request)}?saved=correction#measurements`, 303)
    })

    // ---- parents and carers ----

    app.get('/my-family/children', parentAccess, async (request, reply) => {
      const session = request.activeUser()
      const personId = session.user.personId
      const children: { name: string; href: string; age: string }[] = []
      if (personId) {
        const accessor = familyAccessorOf(request)
        const today = todayInEngland()
        const familyIds = await listFamiliesOfMember(db, personId)
        for (const familyId of familyIds) {
          const rows = await withFamilyAccess(
            db,
            accessor,
            { familyId, permission: 'family-record.read', purpose: 'own_family', details: { page: 'red-book-list' } },
            async trx => listChildrenOfFamily(trx, familyId),
          )
          for (const child of rows) {
            if (!children.some(each => each.href.endsWith(child.id))) {
              children.push({
                name: `${child.givenName} ${child.familyName}`,
                href: `/my-family/children/${child.id}`,
                age: describeAge(child.dateOfBirth, today),
              })
            }
          }
        }
      }
      return reply.page(`${views}/my-children.njk`, {
        title: 'Your children’s red books',
        children,
        linked: personId !== null,
      })
    })

    app.get('/my-family/children/:childId', parentAccess, async (request, reply) => {
      const rows = await withChild(
        request,
        { permission: 'family-record.read', purpose: 'own_family', details: { page: 'red-book' } },
        async (_trx, _familyId, rows) => rows,
      )
      return showRedBook(request, reply, 'parent', rows, {
        noted: queryOf(request).noted === 'yes',
        values: {},
      })
    })

    app.post('/my-family/children/:childId/notes', parentAccess, async (request, reply) => {
      const session = request.activeUser()
      const noteId = crypto.randomUUID()
      try {
        await withChild(
          request,
          {
            permission: 'family-record.read',
            purpose: 'own_family',
            action: 'red-book-note.create',
            details: { noteId },
          },
          async (trx, familyId, rows) => {
            const parsed = parseNoteForm(request.body)
            if (!parsed.ok) {
              throw new NotSaved('invalid note', familyId, rows, Object.keys(parsed.errors.fields), {
                errors: parsed.errors,
              })
            }
            await insertNote(trx, {
              id: noteId,
              personId: rows.child.id,
              authorUserId: session.user.id,
              text: parsed.text,
              laCode: rows.child.laCode,
            })
          },
        )
      } catch (error) {
        if (error instanceof NotSaved) {
          await auditNotSaved(request, 'red-book-note.create', 'own_family', error, {})
          reply.code(400)
          return showRedBook(request, reply, 'parent', error.rows, { ...error.page, values: formValues(request.body) })
        }
        throw error
      }
      return reply.redirect(`/my-family/children/${childIdOf(request)}?noted=yes#notes`, 303)
    })
  }
}
