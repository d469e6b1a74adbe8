/**
 * Small built-in word lists: pupil and staff names (invented combinations, no real pupils),
 * ethnicity codes, subjects, houses, behaviour categories and comments.
 * A few names carry non-ASCII letters and apostrophes so the loaders meet them.
 */

export const GIRLS_NAMES = [
  'Olivia', 'Amelia', 'Isla', 'Ava', 'Ivy', 'Freya', 'Lily', 'Florence', 'Mia', 'Willow',
  'Rosie', 'Sophia', 'Isabella', 'Grace', 'Daisy', 'Sienna', 'Poppy', 'Elsie', 'Emily', 'Ella',
  'Evelyn', 'Phoebe', 'Sofia', 'Evie', 'Charlotte', 'Harper', 'Matilda', 'Ruby', 'Maya', 'Aisha',
  'Zoë', 'Siân', 'Chloé', 'Niamh', 'Saoirse', 'Aoife', 'Fatima', 'Maryam', 'Amara', 'Priya',
  'Hannah', 'Leah', 'Jessica', 'Megan', 'Nia', 'Zara', 'Keira', 'Ellie', 'Imogen', 'Renée',
] as const;

export const BOYS_NAMES = [
  'Oliver', 'George', 'Noah', 'Arthur', 'Leo', 'Muhammad', 'Harry', 'Oscar', 'Archie', 'Henry',
  'Theodore', 'Freddie', 'Jack', 'Charlie', 'Theo', 'Alfie', 'Jacob', 'Thomas', 'Finley', 'Lucas',
  'Isaac', 'Tommy', 'Albert', 'Teddy', 'James', 'Joshua', 'Reggie', 'Ethan', 'Mason', 'Dylan',
  'Oisín', 'Rhys', 'Dafydd', 'Seán', 'Kai', 'Ibrahim', 'Yusuf', 'Kofi', 'Tomás', 'Rohan',
  'Ryan', 'Callum', 'Kieran', 'Jayden', 'Logan', 'Ollie', 'Ben', 'Samuel', 'Daniel', 'Zain',
] as const;

export const SURNAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson',
  'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Thomas', 'Clarke',
  'Jackson', 'Wood', 'Harris', 'Edwards', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Hughes',
  'Moore', 'Clark', 'King', 'Harrison', 'Lewis', 'Baker', 'Lee', 'Allen', 'Morris', 'Khan',
  'Scott', 'Watson', 'Davis', 'Parker', 'James', 'Bennett', 'Young', 'Phillips', 'Richardson', 'Mitchell',
  "O'Brien", "O'Connor", 'Ahmed', 'Hussain', 'Begum', 'Ali', 'Singh', 'Kaur', 'Okafor', 'Mensah',
  'Nowak', 'Kowalczyk', 'Müller', 'Núñez', 'Łukasik', 'Ferreira', 'Popescu', 'Chen', 'Nguyen', 'Smith-Jones',
] as const;

/** Staff names are only used to make initials-style staff codes; they are never written. */
export const STAFF_FIRST = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'R', 'S', 'T', 'V', 'W'] as const;

export const HOUSES = ['Brunel', 'Curie', 'Seacole', 'Turing'] as const;
/** Eight forms per year group: 7B, 7C, … (two per house). */
export const FORM_LETTERS = ['B', 'C', 'S', 'T', 'R', 'U', 'E', 'N'] as const;

/**
 * DfE major ethnic-group codes with rough secondary-school shares (England has about
 * 60 % White British among secondary pupils), and the chance that such a pupil has EAL.
 */
export const ETHNICITIES: readonly { code: string; share: number; eal: number }[] = [
  { code: 'WBRI', share: 0.6, eal: 0.01 },
  { code: 'WOTH', share: 0.08, eal: 0.6 },
  { code: 'WIRT', share: 0.002, eal: 0.0 },
  { code: 'WROM', share: 0.003, eal: 0.5 },
  { code: 'MIXD', share: 0.07, eal: 0.08 },
  { code: 'ASIA', share: 0.11, eal: 0.55 },
  { code: 'BLAC', share: 0.06, eal: 0.35 },
  { code: 'CHIN', share: 0.01, eal: 0.6 },
  { code: 'AOTH', share: 0.025, eal: 0.65 },
  { code: 'REFU', share: 0.03, eal: 0.02 },
];

/** Subjects with the share of a week's lessons (core subjects are taught more). */
export const SUBJECTS: readonly [string, number][] = [
  ['English', 0.14],
  ['Maths', 0.14],
  ['Science', 0.16],
  ['History', 0.06],
  ['Geography', 0.06],
  ['French', 0.05],
  ['Spanish', 0.04],
  ['Computing', 0.05],
  ['Art', 0.05],
  ['Music', 0.04],
  ['Drama', 0.03],
  ['PE', 0.08],
  ['RE', 0.04],
  ['Design & Technology', 0.04],
  ['PSHE', 0.02],
];

/** A short text for the comment column; a few have commas and quotes on purpose. */
export const NEGATIVE_COMMENTS: Record<string, readonly string[]> = {
  Disruption: [
    'Talking over the teacher repeatedly',
    'Off task, distracting others, after two warnings',
    'Throwing paper across the room',
    'Shouting out during the starter',
    'Kept tapping on the desk, would not stop',
  ],
  Defiance: [
    'Refused to move seat when asked',
    'Said "I\'m not doing it" and put head down',
    'Walked out of the lesson without permission',
    'Refused to hand over planner',
  ],
  'Lateness to lesson': ['Arrived 10 minutes late, no note', 'Late from break again', 'Late, said they were "at the toilet"'],
  'Mobile phone': ['Phone out in lesson, confiscated', 'Using phone to film, phone taken to reception', 'Phone rang during a test'],
  Uniform: ['No blazer', 'Trainers instead of school shoes', 'Hoodie worn in class, refused to remove'],
  Homework: ['Homework not handed in', 'Second missed homework this half-term', 'Homework incomplete, no reason given'],
  'Verbal abuse': [
    'Swore at another pupil in the corridor',
    'Used offensive language towards staff',
    'Called another pupil names, upset them',
  ],
  Physical: [
    'Pushed another pupil, who fell against a locker',
    'Fight at lunch; both pupils separated by staff',
    'Kicked out at another pupil in the lunch queue',
  ],
  Bullying: ['Repeated unkind messages to another pupil, reported by parent', 'Excluding and mocking a younger pupil at break'],
  Truancy: ['Found in the toilets during lesson', 'Not in lesson, found on the field', 'Left the lesson and did not return'],
  Vaping: ['Vaping in the toilets — vape confiscated', 'Smell of vape, device found in bag'],
  Damage: ['Wrote on a desk', 'Broke a chair leaning back on it', 'Kicked a door, cracked the panel'],
};

export const POSITIVE_COMMENTS: readonly string[] = [
  'Brilliant answer in the starter',
  'Helped a new pupil find their way',
  'Excellent effort in the assessment',
  'Outstanding homework, well researched',
  'Went above and beyond, "a real team player"',
  'Great contribution to the class discussion',
];

/** The one comment with a line break in it (quoted fields may hold line breaks). */
export const MULTILINE_COMMENT = 'Incident in the canteen queue.\nStatement taken; HoY to follow up with home.';
