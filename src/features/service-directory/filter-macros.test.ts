/**
 * The search page writes its filters with its own small macros (views/filter-macros.njk) for speed. They must give
 * exactly the markup of govuk-frontend's macros, so that styles, scripts and accessibility stay the Design System's.
 */
import nunjucks from 'nunjucks'
import { describe, expect, it } from 'vitest'
import { govukDist, srcDir } from '../../web/nunjucks.js'

const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([srcDir, govukDist]), { autoescape: true })

function render(template: string, context: Record<string, unknown>): string {
  return nunjucks.compile(template, env).render(context)
}

/** Markup with the layout whitespace taken out (the browser ignores it between these tags). */
function normalised(html: string): string {
  return html.replace(/\s+/g, ' ').replace(/>\s+/g, '>').replace(/\s+</g, '<').trim()
}

const ours = '{% from "features/service-directory/views/filter-macros.njk" import filterCheckboxes, filterSelect %}'

describe('the search filters’ macros', () => {
  it('write checkboxes exactly as govukCheckboxes does', () => {
    const items = [
      { value: 'infant-feeding', text: 'Infant feeding (12)', checked: true },
      { value: 'parenting', text: 'Parenting & “support” <groups>' },
      { value: 'sen', text: 'SEND (0)', checked: false },
    ]
    const govuk = render(
      '{% from "govuk/components/checkboxes/macro.njk" import govukCheckboxes %}{{ govukCheckboxes({ idPrefix: "category", name: "category", classes: "govuk-checkboxes--small", fieldset: { legend: { text: legend, classes: "govuk-fieldset__legend--s" } }, items: items }) }}',
      { items, legend: 'What you need help with' },
    )
    const mine = render(`${ours}{{ filterCheckboxes("category", "category", legend, items) }}`, {
      items,
      legend: 'What you need help with',
    })
    expect(normalised(mine)).toBe(normalised(govuk))
    expect(mine).toContain('id="category-2"')
  })

  it('write a select exactly as govukSelect does', () => {
    const items = [
      { value: '', text: 'Any day' },
      { value: 'SA', text: 'Saturday', selected: true },
      { value: 'SU', text: 'Sunday & "holidays"' },
    ]
    const govuk = render(
      '{% from "govuk/components/select/macro.njk" import govukSelect %}{{ govukSelect({ label: { text: "Day", classes: "govuk-label--s" }, id: "day", name: "day", items: items }) }}',
      { items },
    )
    const mine = render(`${ours}{{ filterSelect("day", "day", "Day", items) }}`, { items })
    expect(normalised(mine)).toBe(normalised(govuk))
  })
})
