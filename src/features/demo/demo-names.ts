/**
 * Fictional but realistic names, places and ethnic groups for the synthetic demo county. The name lists are common
 * given names and surnames in England across its communities; any resemblance of a generated person to a real one is
 * chance. Street, village and town names are invented.
 */

/** Splits a whitespace-separated list of single-word names. */
function list(text: string): readonly string[] {
  return text.trim().split(/\s+/)
}

/** Splits a comma-separated list of names that may contain spaces. */
function commaList(text: string): readonly string[] {
  return text
    .split(',')
    .map(name => name.trim())
    .filter(name => name.length > 0)
}

/** The five ONS high-level ethnic groups (2021 Census, England) and "Not known" for a record with none stated. */
export const demoEthnicities = [
  'White',
  'Mixed or Multiple ethnic groups',
  'Asian or Asian British',
  'Black, Black British, Caribbean or African',
  'Other ethnic group',
  'Not known',
] as const
export type DemoEthnicity = (typeof demoEthnicities)[number]

/** Name pools: the broad heritage a name is drawn from (separate from the recorded ethnicity). */
export type NamePool =
  'british' | 'eastEuropean' | 'southAsian' | 'eastAsian' | 'african' | 'caribbean' | 'somali' | 'arabTurkish' | 'latin'

interface PoolNames {
  girls: readonly string[]
  boys: readonly string[]
  women: readonly string[]
  men: readonly string[]
  surnames: readonly string[]
}

export const namePools: Record<NamePool, PoolNames> = {
  british: {
    girls: list(`
      Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella Grace Daisy Sienna Poppy
      Elsie Emily Ella Evelyn Phoebe Evie Charlotte Harper Millie Matilda Ruby Maisie Ada Esme Bonnie Mabel
      Orla Hallie Robyn Nancy Edith Margot Thea Aria Penelope Beatrice Lottie Iris
    `),
    boys: list(`
      Noah Oliver George Arthur Leo Harry Oscar Archie Henry Theodore Freddie Jack Charlie Theo Alfie Jacob
      Thomas Finley Arlo William Lucas Roman Tommy Isaac Teddy Alexander Edward James Joshua Albie Max Mason
      Reuben Harrison Jude Rory Ezra Ralph Stanley Louie Ronnie Hugo Frankie Elliot Sonny
    `),
    women: list(`
      Sarah Laura Emma Gemma Rebecca Hannah Charlotte Amy Jessica Lauren Kirsty Sophie Stacey Danielle Natalie
      Rachel Katie Jodie Leanne Claire Victoria Holly Chloe Zoe Abigail Bethany Kayleigh Jade Megan Naomi
      Hayley Helen
    `),
    men: list(`
      James Daniel Matthew Christopher Thomas Ryan Luke Adam Michael David Liam Craig Jamie Ashley Mark Lee
      Andrew Robert Scott Ben Sam Joe Nathan Carl Richard Stephen Gareth Dean Kieran Jordan Aaron Callum
    `),
    surnames: list(`
      Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White
      Roberts Green Hall Wood Jackson Clarke Harrison Turner Hughes Edwards Lewis Hill Cooper Ward Morris
      Moore King Baker Holmes Shaw Lloyd Parker Bennett Murphy Kelly O'Brien McDonald Allen Mitchell Young
      Watson Chapman Fletcher Atkinson Marshall Pearson Bailey Dixon Barker Hudson Fox Webb Poole Riley Booth
      Kirk Slater Bradshaw Hartley Sutcliffe Whitehead Fowler Holt Naylor Brennan Doyle Quinn Gallagher Price
      Powell Griffiths Reid
    `),
  },
  eastEuropean: {
    girls: list(`Zofia Maja Zuzanna Oliwia Lena Hanna Ioana Maria Alicja Natalia Emilia Daria Milena Sara`),
    boys: list(`Jakub Antoni Filip Szymon Aleksander Andrei Luca Mihai Kacper Tymon Nikola Matei Igor Adrian`),
    women: list(`Agnieszka Katarzyna Magdalena Joanna Elena Andreea Ioana Monika Justyna Kristina Ewa Simona`),
    men: list(`Piotr Tomasz Marcin Pawel Andrei Bogdan Lukasz Mihai Krzysztof Marius Dmytro Vasile`),
    surnames: list(`
      Nowak Kowalczyk Lewandowski Zielinski Wozniak Kaminski Popescu Ionescu Popa Stan Dumitru Horvat Novak
      Petrov Kovacs Balogh Shevchenko Bondarenko Jankowski Mazur
    `),
  },
  southAsian: {
    girls: list(`
      Aisha Maryam Zara Fatima Hafsa Inaya Amira Anaya Aanya Diya Simran Khadija Eshal Hana Zainab Safa Aleena
      Myra Saanvi Ishani Noor Jasleen Amara Mehar
    `),
    boys: list(`
      Muhammad Mohammed Ayaan Zayn Ibrahim Yusuf Hamza Ali Arjun Aarav Rohan Vihaan Dev Kabir Harjot Gurveer
      Rayan Zakariya Musa Idris Ishaan Reyansh Arav Eesa
    `),
    women: list(`
      Ayesha Nadia Samina Rubina Shabana Farzana Sana Sadia Anjali Pooja Neha Harpreet Mandeep Priya Nazia
      Rukhsana Sunita Kiran Rupinder Shazia
    `),
    men: list(`
      Imran Asif Kamran Adeel Faisal Tariq Amir Rajesh Sanjay Vikram Gurpreet Jaspal Nikhil Zubair Shahid
      Usman Rahul Amandeep Sohail Waqas
    `),
    surnames: list(`
      Khan Hussain Ahmed Ali Patel Shah Iqbal Rahman Akhtar Mahmood Malik Singh Sandhu Gill Sharma Chauhan
      Mistry Parmar Chowdhury Miah Uddin Islam Nair Kumar Aslam Rashid Javed Dhillon Bains
      Mehta Desai
    `),
  },
  eastAsian: {
    girls: list(`Mei Lin Xinyi Yuna Hui Jia Anh Linh`),
    boys: list(`Jun Wei Hao Ming Kai Minh Yi Chen`),
    women: list(`Xiaoling Xiu Yan Thuy Hong Jing Mai Lan`),
    men: list(`Wei Jian Tao Long Quang Hung Feng Bo`),
    surnames: list(`Chen Wong Li Zhang Liu Wang Nguyen Tran Lam Cheung Ho Yang`),
  },
  african: {
    girls: list(`Amara Zuri Nia Imani Ada Chioma Adaeze Abena Ama Tiwa Ife Chidera Esi Favour Precious Oluwatobi`),
    boys: list(`Kwame Kofi Tobi Tobenna Chidi Emeka Olu Femi Tunde Samuel David Daniel Kayode Jidenna Ebuka Nana`),
    women: list(`Grace Blessing Joy Folake Ngozi Abiola Yetunde Adwoa Efua Chiamaka Funmilayo Ruth`),
    men: list(`Tunde Emeka Kwabena Kofi Michael Samuel Olumide Chinedu Yaw Segun Babatunde Ikenna`),
    surnames: list(`
      Okafor Adeyemi Okonkwo Mensah Asante Boateng Owusu Osei Adebayo Eze Nwosu Oyelaran Afolabi Ogunleye
      Appiah Danso Mutasa Moyo Ndlovu Banda Okeke Obi
    `),
  },
  caribbean: {
    girls: list(`Aaliyah Tiana Kezia Jayda Nevaeh Amaya Serenity Keira Destiny Zoe`),
    boys: list(`Jayden Malachi Josiah Isaiah Kayden Tyrese Elijah Kai Jaheim Nathaniel`),
    women: list(`Chantelle Shanice Marcia Tanisha Simone Kelly-Ann Shereen Nadine Paulette Latoya`),
    men: list(`Dwayne Marcus Leon Nathaniel Jerome Delroy Andre Curtis Tyrone Winston`),
    surnames: list(
      `Campbell Brown Thomas Williams Clarke Grant Francis Morgan Henry Reid Bailey Richards Samuels Powell`,
    ),
  },
  somali: {
    girls: list(`Hodan Ayan Sagal Halima Hibo Ikram Nasra Ilhan Sumaya Amina`),
    boys: list(`Abdi Mohamed Abdirahman Liban Hamza Yahye Bilal Ayub Mustafe Khalid`),
    women: list(`Fadumo Hibaaq Ubah Hawa Sahra Asha Deqa Maryan Nimco Faadumo`),
    men: list(`Abdullahi Ahmed Mahad Omar Said Hassan Farah Abdikarim Jama Warsame`),
    surnames: list(`Mohamed Abdi Hassan Ali Warsame Farah Omar Ahmed Jama Osman Yusuf Ismail`),
  },
  arabTurkish: {
    girls: list(`Yara Layla Noor Lina Mariam Elif Defne Zeynep Salma Jana Huda Asya`),
    boys: list(`Omar Karim Adam Yusuf Emir Ahmad Kerem Eymen Ilyas Tariq Zaid Mert`),
    women: list(`Rania Leila Dina Hiba Reem Ayse Fatma Esra Nour Samar`),
    men: list(`Ahmed Karim Mehmet Mustafa Khaled Hasan Emre Walid Sami Murat`),
    surnames: list(`Haddad Nasser Yilmaz Kaya Demir Saleh Mansour Aziz Celik Sahin Hamdan Khalil`),
  },
  latin: {
    girls: list(`Sofia Valentina Camila Isabela Lucia Gabriela Mariana Ines`),
    boys: list(`Mateo Santiago Rafael Gabriel Tomas Diego Joao Miguel`),
    women: list(`Maria Ana Carla Fernanda Joana Patricia Rosa Luisa`),
    men: list(`Carlos Luis Pedro Jose Ricardo Paulo Andres Bruno`),
    surnames: list(`Santos Silva Rodriguez Garcia Reyes Cruz Mendoza Pereira Costa Fernandes Gomez Ferreira`),
  },
}

/** For each recorded ethnic group: the name pools its families draw from, with weights. */
export const poolsByEthnicity: Record<DemoEthnicity, readonly (readonly [NamePool, number])[]> = {
  White: [
    ['british', 86],
    ['eastEuropean', 14],
  ],
  'Mixed or Multiple ethnic groups': [
    ['caribbean', 40],
    ['african', 20],
    ['southAsian', 25],
    ['arabTurkish', 10],
    ['eastAsian', 5],
  ],
  'Asian or Asian British': [
    ['southAsian', 90],
    ['eastAsian', 10],
  ],
  'Black, Black British, Caribbean or African': [
    ['african', 55],
    ['caribbean', 25],
    ['somali', 20],
  ],
  'Other ethnic group': [
    ['arabTurkish', 60],
    ['latin', 30],
    ['eastAsian', 10],
  ],
  'Not known': [
    ['british', 80],
    ['eastEuropean', 8],
    ['southAsian', 6],
    ['african', 6],
  ],
}

export const streetFirstWords = list(`
  Church Mill Station Oak Willow Beech Ash Elm Chestnut Hawthorn Meadow Brook Park Victoria Albert Queen
  King Manor Orchard Priory Abbey Chapel School Market Bridge Canal Foundry Forge Kiln Cotton Wharf Hollin
  Heather Bracken Fern Moor Linden Rowan Sycamore Larch Hazel Primrose Bluebell Clover Kingfisher Heron
  Lark Swallow Wren Falcon Windmill Tanner Cooper Weaver Spring Well Fountain Holly Ivy Laurel Poplar
  Cedar Alder Birch Thorn Green Common Field Furlong Glebe
`)
export const streetSuffixes = list(`
  Road Street Lane Close Avenue Way Drive Gardens Court Crescent Grove Place Terrace Walk Rise View Mews
  Row
`)

/** Invented village names for the county's rural small areas. */
export const villageNames = commaList(`
  Little Ashby, Coldharbour, Thornby, Wetherfield, Saxby Magna, Saxby Parva, Ravensholme, Nethercote,
  Oakley Cross, Brindlecombe, Fenwick St Mary, Holmeside, Marlstone, Cranford End, Westhope, Eastmere,
  Hallowby, Kirkby Fen, Dunmore Green, Pellworth, Shelby Moor, Linwick, Gorsey Bank, Tollbridge,
  Alderholme, Birchover Lees, Crowmarsh, Elmsford, Fairstead, Greystone, Highcliffe Moor, Ingleby Fen,
  Lowmoor, Middlecote, Newbold Moss, Overleigh, Quarrington, Redhill Lees, Sedgebrook, Upper Stanmere,
  Wexcombe, Yarrowby, Bramblewick, Causey End, Dovecote, Hatherby, Moss Side, Pinfold
`)
