import { z } from 'zod'
import { linkCodeLength, normaliseLinkCode } from './family.js'

export const CaseloadQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

export const LinkCodeRecipientForm = z.object({
  personId: z
    .string({ error: 'Select who the code is for' })
    .min(1, 'Select who the code is for')
    .max(36, 'Select who the code is for')
    .regex(/^[0-9a-f-]+$/i, 'Select who the code is for'),
})

const codeExample = 'The code is 8 letters and numbers, like ACDE-FG34'

export const ParentLinkForm = z.object({
  code: z
    .string({ error: 'Enter the code you were given' })
    .max(40, codeExample)
    .transform(normaliseLinkCode)
    .pipe(
      z
        .string()
        .min(1, 'Enter the code you were given')
        .regex(new RegExp(`^[A-Z0-9]{${String(linkCodeLength)}}$`), codeExample),
    ),
})
