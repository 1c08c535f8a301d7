/** The kinds of service the demo directory is made of: fictional, in the plain language a family hub would use. */

export type Provider = 'council' | 'nhs' | 'voluntary' | 'nursery' | 'gp'
export type Delivery = 'in-person' | 'online' | 'telephone' | 'home-visit'

export interface SessionPattern {
  days: string
  opens: string
  closes: string
  termTime?: boolean
  /** A second session the same day (a split session). */
  split?: { opens: string; closes: string }
  monthly?: boolean
}

export interface ServiceTemplate {
  name: string
  summary: string
  description: string
  startForLife: string[]
  dfe: string[]
  delivery: Delivery[]
  pregnancy?: [number | null, number | null]
  /** Child age range in months [min, max]; undefined: not for children (pregnancy only). null ends: open. */
  child?: [number | null, number | null]
  who?: string
  how: string
  cost?: { amount: number; description: string }
  sessions: SessionPattern[]
  /** A one-off event instead of (or as well as) regular sessions. */
  event?: { opens: string; closes: string; description: string }
  provider: Provider
  /** Delivered from the network's online offer rather than a venue. */
  online?: boolean
  /** Runs at the hub only. */
  hubOnly?: boolean
  /** Services whose area is the local authority (residents only). */
  residentsOnly?: boolean
  /** Runs at a venue of its own whose address is never published (a refuge). */
  confidentialVenue?: boolean
}

export const serviceTemplates: ServiceTemplate[] = [
  {
    name: 'Bump to Baby antenatal course',
    summary: 'Four free sessions to get ready for labour, birth and your first weeks with your baby.',
    description:
      'Our midwives and family hub staff run a four-week course for you and your birth partner. We talk about labour and birth, feeding your baby, sleep, and how you might feel. You will meet other parents due around the same time.',
    startForLife: ['antenatal-education', 'maternity'],
    dfe: ['midwife-and-maternity'],
    delivery: ['in-person'],
    pregnancy: [24, 38],
    who: 'Pregnant women and birthing people, and their partner or a friend',
    how: 'Book a place: ask your midwife or call the family hub.',
    sessions: [{ days: 'TH', opens: '18:00', closes: '20:00' }],
    provider: 'nhs',
    hubOnly: true,
  },
  {
    name: 'Midwife clinic',
    summary: 'Check-ups with a community midwife during your pregnancy.',
    description:
      'Your antenatal appointments with the community midwife team: blood pressure, your baby’s growth and heartbeat, and time to ask questions.',
    startForLife: ['maternity'],
    dfe: ['midwife-and-maternity'],
    delivery: ['in-person'],
    pregnancy: [null, null],
    how: 'Your midwife will give you an appointment.',
    sessions: [{ days: 'TU,FR', opens: '09:00', closes: '12:30', split: { opens: '13:30', closes: '16:30' } }],
    provider: 'nhs',
  },
  {
    name: 'Baby feeding support group',
    summary: 'Friendly help with breastfeeding, bottle feeding or both, from trained peer supporters.',
    description:
      'Come along with your baby for help with feeding, however you feed. Our infant feeding team and trained volunteer mums can help with latching, expressing, bottle feeding, and feeling confident. Pregnant? You are welcome too.',
    startForLife: ['infant-feeding'],
    dfe: ['infant-feeding-support'],
    delivery: ['in-person'],
    pregnancy: [28, null],
    child: [0, 11],
    who: 'Parents and carers with babies under 1, and pregnant women',
    how: 'Just turn up. No need to book.',
    sessions: [{ days: 'WE', opens: '10:00', closes: '11:30' }],
    provider: 'voluntary',
  },
  {
    name: 'Infant feeding helpline',
    summary: 'Talk to an infant feeding specialist on the phone, 7 days a week.',
    description:
      'Call for advice about breastfeeding, expressing, formula feeding and starting solid food. If you need more help we can arrange a home visit.',
    startForLife: ['infant-feeding'],
    dfe: ['infant-feeding-support'],
    delivery: ['telephone', 'home-visit'],
    child: [0, 11],
    how: 'Call the helpline.',
    sessions: [{ days: 'MO,TU,WE,TH,FR,SA,SU', opens: '09:00', closes: '21:00' }],
    provider: 'nhs',
    online: true,
  },
  {
    name: 'Starting solids workshop',
    summary: 'A one-hour workshop about when and how to start your baby on solid food.',
    description:
      'Learn about the signs your baby is ready, first foods, allergies and how to keep mealtimes safe. Try some easy recipes.',
    startForLife: ['infant-feeding', 'healthy-eating'],
    dfe: ['nutrition-and-weight-management'],
    delivery: ['in-person'],
    child: [4, 8],
    how: 'Book a place by calling the family hub.',
    sessions: [{ days: '1MO', opens: '13:30', closes: '14:30', monthly: true }],
    provider: 'council',
  },
  {
    name: 'Perinatal mental health support',
    summary: 'One-to-one support if you feel anxious, low or not yourself during pregnancy or after birth.',
    description:
      'Many parents struggle with their feelings during pregnancy and in the first year. Our perinatal mental health practitioners can talk with you at home, at the family hub or on a video call, and help you find the right support.',
    startForLife: ['perinatal-mental-health'],
    dfe: ['perinatal-mental-health-support'],
    delivery: ['in-person', 'home-visit', 'online'],
    pregnancy: [null, null],
    child: [0, 23],
    who: 'Mums, dads and partners during pregnancy and until the child is 2',
    how: 'Ask your midwife, health visitor or GP to refer you, or refer yourself by calling us.',
    sessions: [{ days: 'MO,TU,WE,TH,FR', opens: '09:00', closes: '17:00' }],
    provider: 'nhs',
  },
  {
    name: 'Mums’ wellbeing group',
    summary: 'A relaxed group for mums to talk, share and look after themselves. Babies welcome.',
    description:
      'Meet other mums over a cup of tea. Each week we try something to help with stress and low mood, like breathing, a short walk or a craft.',
    startForLife: ['perinatal-mental-health'],
    dfe: ['mental-health-social-and-emotional-support'],
    delivery: ['in-person'],
    child: [0, 23],
    who: 'Mums with a baby under 2',
    how: 'Just turn up, or call first if you would like someone to meet you at the door.',
    sessions: [{ days: 'FR', opens: '10:00', closes: '11:30', termTime: true }],
    provider: 'voluntary',
  },
  {
    name: 'Health visitor baby clinic',
    summary: 'Weigh your baby and ask a health visitor about feeding, sleep, development or anything else.',
    description:
      'Drop in to have your baby weighed and measured and to talk to a health visitor or nursery nurse. Bring your baby’s red book.',
    startForLife: ['health-visiting'],
    dfe: ['health-visiting'],
    delivery: ['in-person'],
    child: [0, 23],
    how: 'Just turn up.',
    sessions: [{ days: 'TU', opens: '09:30', closes: '11:30' }],
    provider: 'nhs',
  },
  {
    name: 'Health visiting service',
    summary: 'Your health visitor checks on you and your child at home and at reviews until they are 5.',
    description:
      'Health visitors are nurses or midwives who support families with young children. They visit you at home after birth and see you for reviews at 6 to 8 weeks, 1 year and 2 and a half years.',
    startForLife: ['health-visiting'],
    dfe: ['health-visiting'],
    delivery: ['home-visit', 'telephone', 'in-person'],
    pregnancy: [28, null],
    child: [0, 59],
    how: 'You do not need to do anything: your health visitor will contact you. You can also call the team.',
    sessions: [{ days: 'MO,TU,WE,TH,FR', opens: '09:00', closes: '17:00' }],
    provider: 'nhs',
    residentsOnly: true,
    hubOnly: true,
  },
  {
    name: 'Stay and play',
    summary: 'Play, sing and meet other families in a friendly drop-in session.',
    description:
      'Messy play, toys, books and a song at the end. A chance for your child to play with others and for you to meet other parents and family hub staff.',
    startForLife: ['stay-and-play'],
    dfe: ['parent-baby-and-toddler-groups'],
    delivery: ['in-person'],
    child: [0, 59],
    who: 'Parents, carers and grandparents with children under 5',
    how: 'Just turn up.',
    cost: { amount: 1, description: 'per family, per session' },
    sessions: [{ days: 'MO', opens: '09:30', closes: '11:00', termTime: true }],
    provider: 'council',
  },
  {
    name: 'Baby and me',
    summary: 'A calm group for parents and babies under 1: baby massage, songs and tummy time.',
    description:
      'Learn baby massage and enjoy songs, sensory play and tummy time with your baby. A good first group to try after birth.',
    startForLife: ['stay-and-play', 'parenting'],
    dfe: ['parent-baby-and-toddler-groups'],
    delivery: ['in-person'],
    child: [0, 11],
    how: 'Book a place: sessions run for 5 weeks.',
    sessions: [{ days: 'TH', opens: '13:30', closes: '14:45' }],
    provider: 'council',
  },
  {
    name: 'Rhyme time',
    summary: 'Songs and rhymes for babies and toddlers at the library.',
    description:
      'Half an hour of songs, rhymes and stories. Singing together helps your child’s talking and listening.',
    startForLife: ['early-language', 'stay-and-play'],
    dfe: ['early-years-language-and-learning'],
    delivery: ['in-person'],
    child: [0, 47],
    how: 'Just turn up.',
    sessions: [{ days: 'SA', opens: '10:30', closes: '11:00' }],
    provider: 'council',
  },
  {
    name: 'Chatterbox: talking and listening group',
    summary: 'Fun activities to help your toddler’s talking, with a speech and language assistant.',
    description:
      'A group for toddlers who are late to talk, or for parents who want ideas. We show you easy ways to help your child talk through play, books and everyday routines.',
    startForLife: ['early-language'],
    dfe: ['speech-language-and-communication-needs'],
    delivery: ['in-person'],
    child: [18, 47],
    how: 'Ask your health visitor or call the family hub to book.',
    sessions: [{ days: 'WE', opens: '13:30', closes: '14:30', termTime: true }],
    provider: 'nhs',
  },
  {
    name: 'Dads’ group',
    summary: 'A Saturday morning group for dads, step-dads and male carers with their children.',
    description:
      'Play with your child, have a bacon roll and talk to other dads. Sometimes we go out to the park or the fire station.',
    startForLife: ['dads-partners', 'stay-and-play'],
    dfe: ['parenting-support'],
    delivery: ['in-person'],
    child: [0, 59],
    who: 'Dads, step-dads, granddads and male carers with children under 5',
    how: 'Just turn up.',
    sessions: [{ days: 'SA', opens: '09:30', closes: '11:30' }],
    provider: 'voluntary',
  },
  {
    name: 'Parenting course: understanding your child',
    summary: 'An 8-week course for parents about behaviour, feelings and routines.',
    description:
      'Meet other parents and learn ways to manage tantrums, sleep and routines, and to look after yourself. Free crèche for children under 5.',
    startForLife: ['parenting'],
    dfe: ['parenting-support'],
    delivery: ['in-person', 'online'],
    child: [12, 59],
    how: 'Book a place by calling the family hub or asking your health visitor.',
    sessions: [{ days: 'TU', opens: '18:30', closes: '20:30' }],
    provider: 'council',
  },
  {
    name: 'Online parenting course',
    summary: 'Free online courses about pregnancy, babies and children, to do at your own pace.',
    description:
      'Short online courses written by midwives and health visitors. Use the code from the family hub to join free of charge.',
    startForLife: ['parenting', 'antenatal-education'],
    dfe: ['parenting-support'],
    delivery: ['online'],
    pregnancy: [null, null],
    child: [null, null],
    how: 'Ask the family hub for a free access code.',
    sessions: [],
    provider: 'council',
    online: true,
  },
  {
    name: 'Money and benefits advice',
    summary: 'Free, confidential advice about benefits, debt, bills and Healthy Start.',
    description:
      'An adviser can check you are getting all the money you are entitled to, help with forms and talk to people you owe money to.',
    startForLife: ['money-housing'],
    dfe: ['debt-and-welfare-advice', 'money-benefits-and-housing'],
    delivery: ['in-person', 'telephone'],
    pregnancy: [null, null],
    child: [null, null],
    how: 'Book an appointment or drop in.',
    sessions: [{ days: 'MO,WE', opens: '10:00', closes: '15:00' }],
    provider: 'voluntary',
  },
  {
    name: 'Housing advice drop-in',
    summary: 'Help if you are worried about losing your home, or your home is not safe or is too small.',
    description: 'Talk to a housing officer about repairs, rent, moving, or being at risk of homelessness.',
    startForLife: ['money-housing'],
    dfe: ['money-benefits-and-housing'],
    delivery: ['in-person', 'telephone'],
    pregnancy: [null, null],
    child: [null, null],
    how: 'Just turn up, or call to make an appointment.',
    sessions: [{ days: 'TH', opens: '17:00', closes: '19:00' }],
    provider: 'council',
    residentsOnly: true,
  },
  {
    name: 'Cook and eat',
    summary: 'Cook healthy family meals on a budget, then eat together.',
    description:
      'A 6-week course: easy recipes, shopping on a budget and help applying for Healthy Start vouchers. Children welcome; we have a crèche.',
    startForLife: ['healthy-eating'],
    dfe: ['nutrition-and-weight-management'],
    delivery: ['in-person'],
    pregnancy: [null, null],
    child: [6, 59],
    how: 'Book a place.',
    cost: { amount: 2, description: 'per session (free with Healthy Start)' },
    sessions: [{ days: 'WE', opens: '17:30', closes: '19:30' }],
    provider: 'voluntary',
  },
  {
    name: 'Stop smoking in pregnancy',
    summary: 'Free support and nicotine replacement to help you stop smoking while pregnant.',
    description:
      'A stop smoking adviser will see you each week, give you free patches or gum, and check your carbon monoxide level.',
    startForLife: ['stop-smoking'],
    dfe: ['stopping-smoking'],
    delivery: ['in-person', 'telephone'],
    pregnancy: [null, null],
    child: [0, 11],
    how: 'Ask your midwife or refer yourself by calling us.',
    sessions: [{ days: 'MO', opens: '16:00', closes: '19:00' }],
    provider: 'nhs',
  },
  {
    name: 'SEND parent support group',
    summary: 'Meet other parents of young children with special educational needs or disabilities.',
    description:
      'Share experiences and get information about assessments, EHC plans, benefits and local support. Our SEND family worker joins each month.',
    startForLife: ['send'],
    dfe: ['groups-for-parents-and-carers-of-children-with-send'],
    delivery: ['in-person'],
    child: [0, 59],
    how: 'Just turn up, or call us first.',
    sessions: [{ days: '2TH', opens: '10:00', closes: '12:00', monthly: true }],
    provider: 'voluntary',
  },
  {
    name: 'Sensory play for children with additional needs',
    summary: 'A calm sensory room session for children with SEND and their families.',
    description:
      'Lights, sounds and textures in a quiet room. Small groups, so your child can explore at their own pace.',
    startForLife: ['send', 'stay-and-play'],
    dfe: ['early-years-support'],
    delivery: ['in-person'],
    child: [0, 59],
    how: 'Book a place.',
    sessions: [{ days: 'SU', opens: '10:00', closes: '11:00' }],
    provider: 'council',
    hubOnly: true,
  },
  {
    name: 'Relationship support for parents',
    summary: 'Help for parents who argue a lot, are separating or bring up their child apart.',
    description:
      'Talk to a trained practitioner about how conflict affects children, and learn ways to communicate. Together or on your own.',
    startForLife: ['relationships'],
    dfe: ['reducing-parental-conflict', 'separating-and-separated-parent-support'],
    delivery: ['in-person', 'online', 'telephone'],
    pregnancy: [null, null],
    child: [null, null],
    how: 'Refer yourself online or ask any family hub worker.',
    sessions: [{ days: 'TU,TH', opens: '09:00', closes: '20:00' }],
    provider: 'council',
  },
  {
    name: 'Domestic abuse support',
    summary: 'Confidential help if someone is hurting, threatening or controlling you.',
    description:
      'Talk to a specialist worker in confidence. We can help you stay safe, make a plan and find somewhere safe to stay. In an emergency call 999.',
    startForLife: ['domestic-abuse'],
    dfe: ['domestic-abuse'],
    delivery: ['telephone', 'in-person'],
    pregnancy: [null, null],
    child: [null, null],
    how: 'Call the helpline. You can also ask any family hub worker, midwife or health visitor.',
    sessions: [{ days: 'MO,TU,WE,TH,FR,SA,SU', opens: '08:00', closes: '22:00' }],
    provider: 'voluntary',
    online: true,
  },
  {
    name: 'Funded childcare advice',
    summary: 'Find out about free early education and childcare hours and how to apply.',
    description:
      'Help to find childcare near you and to apply for free hours for 2, 3 and 4 year olds, and for working parents from 9 months.',
    startForLife: ['childcare'],
    dfe: ['pre-school-playgroup'],
    delivery: ['telephone', 'online'],
    child: [9, 59],
    how: 'Call the Family Information Service or apply online.',
    sessions: [{ days: 'MO,TU,WE,TH,FR', opens: '09:00', closes: '17:00' }],
    provider: 'council',
    online: true,
    residentsOnly: true,
  },
  {
    name: 'Register a birth',
    summary: 'Appointments to register your baby’s birth at the family hub.',
    description: 'You must register your baby’s birth within 42 days. Bring your baby’s red book if you have it.',
    startForLife: ['birth-registration'],
    dfe: ['birth-registration'],
    delivery: ['in-person'],
    child: [0, 2],
    how: 'Book an appointment online or by phone.',
    sessions: [{ days: 'WE', opens: '09:30', closes: '12:30' }],
    provider: 'council',
    hubOnly: true,
    residentsOnly: true,
  },
  {
    name: 'Toddler sing and sign',
    summary: 'Songs with simple baby signing to help your child communicate.',
    description:
      'Learn signs for everyday words through songs. Signing can help your child tell you what they need before they can talk.',
    startForLife: ['early-language', 'stay-and-play'],
    dfe: ['music-arts-and-dance'],
    delivery: ['in-person'],
    child: [6, 35],
    how: 'Book a block of 6 sessions.',
    cost: { amount: 4.5, description: 'per session' },
    sessions: [{ days: 'FR', opens: '13:15', closes: '14:00', termTime: true }],
    provider: 'voluntary',
  },
  {
    name: 'Family fun day',
    summary: 'A free day out with activities, stalls and information for families with young children.',
    description: 'Face painting, a bouncy castle, story time and stalls from local groups. Meet the family hub team.',
    startForLife: ['stay-and-play'],
    dfe: ['activities'],
    delivery: ['in-person'],
    child: [0, 59],
    how: 'Just turn up.',
    sessions: [],
    event: { opens: '11:00', closes: '15:00', description: 'Family fun day' },
    provider: 'council',
    hubOnly: true,
  },
  {
    name: 'Pre-school learning together',
    summary: 'Play and learn with your 3 or 4 year old to get ready for school.',
    description:
      'Activities with letters, numbers and stories, and tips on getting ready for school: toileting, dressing and separating from you.',
    startForLife: ['early-language', 'childcare'],
    dfe: ['early-years-language-and-learning'],
    delivery: ['in-person'],
    child: [36, 59],
    how: 'Just turn up.',
    sessions: [{ days: 'TH', opens: '09:15', closes: '11:15', termTime: true }],
    provider: 'nursery',
  },
  {
    name: 'Women’s refuge family support',
    summary: 'Support for mothers and children staying in a refuge: play, health visits and help to settle.',
    description:
      'Family support workers help mothers and children staying in the refuge after domestic abuse: play sessions for children, visits from the health visitor, and help with school places, benefits and a new home. The refuge’s address is kept private to keep everyone safe.',
    startForLife: ['domestic-abuse'],
    dfe: ['domestic-abuse'],
    delivery: ['in-person'],
    pregnancy: [null, null],
    child: [null, null],
    who: 'Women and their children staying in the refuge',
    how: 'Call the helpline, or ask any family hub worker, midwife or health visitor to refer you.',
    sessions: [{ days: 'MO,WE,FR', opens: '10:00', closes: '15:00' }],
    provider: 'voluntary',
    confidentialVenue: true,
  },
]

export const townNames = [
  'Ashby Moor',
  'Brackenfield',
  'Coldharbour',
  'Dunmere',
  'Eastwick',
  'Fellbrook',
  'Greystone',
  'Hollin Bridge',
  'Ironbridge Vale',
  'Kettlewell',
  'Lowmoor',
  'Millbeck',
  'Netherfold',
  'Oakenshaw',
  'Pennyrigg',
  'Quarry Hill',
  'Redmire',
  'Saltwick',
  'Thornby',
  'Upperdale',
]

export const venueKinds = [
  {
    prefix: '',
    suffix: 'Library',
    accessibility: ['step-free', 'accessible-toilet', 'baby-changing', 'hearing-loop', 'lift'],
  },
  {
    prefix: '',
    suffix: 'Community Centre',
    accessibility: ['step-free', 'accessible-toilet', 'baby-changing', 'parking', 'buggy-parking'],
  },
  { prefix: 'St Mary’s Church Hall,', suffix: '', accessibility: ['baby-changing', 'parking'] },
  {
    prefix: '',
    suffix: 'Leisure Centre',
    accessibility: ['step-free', 'accessible-toilet', 'parking', 'disabled-parking', 'baby-changing'],
  },
  {
    prefix: '',
    suffix: 'Health Centre',
    accessibility: ['step-free', 'accessible-toilet', 'hearing-loop', 'disabled-parking', 'feeding-room'],
  },
  { prefix: '', suffix: 'Primary School', accessibility: ['step-free', 'buggy-parking'] },
  {
    prefix: '',
    suffix: 'Children’s Centre',
    accessibility: ['step-free', 'accessible-toilet', 'baby-changing', 'buggy-parking', 'feeding-room', 'quiet-room'],
  },
  { prefix: '', suffix: 'Methodist Church', accessibility: ['step-free', 'baby-changing'] },
  { prefix: '', suffix: 'Village Hall', accessibility: ['parking'] },
]

export const streetNames = [
  'High Street',
  'Church Lane',
  'Mill Road',
  'Station Road',
  'Market Place',
  'Park Avenue',
  'Victoria Street',
  'Moor Lane',
  'Bridge Street',
  'Queen’s Road',
]

export const otherLanguages = [
  { code: 'pl', name: 'Polish' },
  { code: 'ur', name: 'Urdu' },
  { code: 'bn', name: 'Bengali' },
  { code: 'ar', name: 'Arabic' },
  { code: 'ro', name: 'Romanian' },
  { code: 'pa', name: 'Punjabi' },
  { code: 'bfi', name: 'British Sign Language' },
]

export const charities = [
  {
    name: 'Northmoor Breastfeeding Friends',
    description: 'Trained volunteer mums who support families with feeding their babies.',
    charity: '1190001',
  },
  {
    name: 'Home-Start Northmoor',
    description: 'Volunteers who visit families with young children at home.',
    charity: '1190002',
  },
  {
    name: 'Little Voices Speech Charity',
    description: 'Helping young children to talk and listen.',
    charity: '1190003',
  },
  {
    name: 'Northmoor Citizens Advice',
    description: 'Free, confidential advice on money, benefits, housing and more.',
    charity: '1190004',
  },
  { name: 'Safe at Home Northmoor', description: 'Support for people affected by domestic abuse.', charity: '1190005' },
  { name: 'Dads Matter Northmoor', description: 'Groups and support for dads and male carers.', charity: '1190006' },
]
