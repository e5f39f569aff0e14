"""Names for demo members.

The health and care workforce is one of the most diverse in the country, so the names are
too: British, Irish, South Asian, West African, Caribbean, Filipino, Keralan, East and
Central European, Chinese, Middle Eastern and more. Every combination is invented.
"""

from __future__ import annotations


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


FIRST_NAMES: list[str] = _names(
    """
    Aaliyah, Abdul, Abigail, Adaeze, Adam, Adebayo, Adriana, Agnieszka, Aiden, Aisha,
    Akosua, Alan, Alex, Alice, Alison, Amaka, Amara, Amelia, Amir, Amy, Ana, Andrew,
    Angela, Anil, Anita, Anjali, Ann, Anna, Anthony, Anwar, Arjun, Asha, Ayesha,
    Bartosz, Beatrice, Ben, Bernadette, Bethan, Bilal, Bisi, Bola, Callum, Carl,
    Caroline, Catherine, Chantelle, Charlotte, Chidi, Chinedu, Chloe, Chris, Christine,
    Ciara, Claire, Connor, Dami, Daniel, Darren, David, Deborah, Declan, Deepa, Delroy,
    Dimitri, Dylan, Eilidh, Elena, Eleanor, Elif, Ellie, Emeka, Emily, Emma, Eniola,
    Esther, Fatima, Femi, Fiona, Folake, Gareth, Gemma, Grace, Hamza, Hannah, Harpreet,
    Harry, Hassan, Helen, Ibrahim, Ifeoma, Imran, Ioana, Isabel, Isaac, Jack,
    Jacqueline, Jake, James, Jasmine, Jaspreet, Jennifer, Jessica, Joanne, John,
    Jonathan, Joseph, Josie, Joy, Julie, Kamala, Karen, Kate, Katarzyna, Kayode,
    Kelechi, Kerry, Kevin, Khadija, Kofi, Krishna, Kwame, Laura, Lauren, Leah, Leanne,
    Liam, Lina, Lisa, Lorna, Lucy, Luke, Mandeep, Maria, Marcus, Mark, Martin, Mary,
    Matthew, Maya, Megan, Mei, Michael, Michelle, Mohammed, Monika, Naomi, Nasreen,
    Natalie, Neil, Niamh, Nicola, Nikhil, Nimmi, Nkechi, Oliver, Olivia, Oluwaseun,
    Omar, Owen, Patrick, Paul, Pooja, Priya, Rachel, Rahul, Rajesh, Rebecca, Reuben,
    Rhys, Richard, Rosa, Rosemary, Ruth, Ryan, Sadia, Sally, Samina, Samuel, Sandeep,
    Sanjay, Sarah, Sean, Shabnam, Shanice, Sharon, Siobhan, Simon, Sipho, Sofia, Sophie,
    Stephen, Sunita, Susan, Tariq, Temi, Thomas, Tendai, Tomasz, Tracey, Usha, Vanessa,
    Victoria, Vikram, Wei, Yasmin, Yusuf, Zainab, Zara, Zoe
    """
)

SURNAMES: list[str] = _names(
    """
    Abara, Adams, Adebayo, Afolabi, Ahmed, Akhtar, Ali, Allen, Anderson, Appiah, Asante,
    Atkinson, Bailey, Baker, Banda, Barnes, Begum, Bell, Bennett, Bhatt, Bianchi,
    Bishop, Booth, Bradley, Brennan, Brooks, Brown, Burke, Butler, Byrne, Campbell,
    Carter, Chan, Chapman, Chaudhry, Chen, Chowdhury, Clarke, Cole, Collins, Cooper,
    Cox, Cruz, Cunningham, Da Silva, Davies, Dawson, Desai, Dhillon, Dixon, Doherty,
    Dunn, Edwards, Ellis, Evans, Farah, Fernandes, Fletcher, Foster, Fox, Francis,
    Gallagher, Garcia, George, Ghosh, Gibson, Gill, Gordon, Graham, Grant, Green,
    Griffiths, Gupta, Hall, Hamilton, Hardy, Harris, Hart, Hassan, Hayes, Henry, Hill,
    Holmes, Hughes, Hussain, Ibrahim, Iqbal, Jackson, James, Jenkins, Johnson, Jones,
    Joseph, Kaur, Kelly, Kennedy, Khan, King, Kowalski, Kumar, Lambert, Lawrence, Lee,
    Lewis, Li, Lloyd, Lopez, Lynch, Mahmood, Malik, Marshall, Martin, Mason, Mathew,
    McCarthy, McDonald, Mendes, Menon, Miah, Mills, Mistry, Mitchell, Moore, Morgan,
    Morris, Murphy, Murray, Nair, Nowak, Nwachukwu, Nwosu, O'Brien, O'Connor, O'Neill,
    Obi, Odukoya, Okafor, Okeke, Okoro, Oladipo, Osei, Owen, Palmer, Parker, Parry,
    Patel, Pearson, Perera, Phillips, Pillai, Popescu, Powell, Price, Quinn, Rahman,
    Raj, Reid, Reyes, Richards, Roberts, Robinson, Rogers, Rose, Ross, Russell, Santos,
    Saunders, Scott, Shah, Sharma, Shaw, Simpson, Singh, Smith, Stewart, Sullivan,
    Taylor, Thomas, Thompson, Turner, Varghese, Walker, Walsh, Ward, Watson, White,
    Williams, Wilson, Wood, Wright, Wu, Yeboah, Young, Zhang
    """
)
