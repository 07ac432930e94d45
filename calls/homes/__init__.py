"""Each role's home after log-in: a volunteer's dashboard (in the portal), an advisor's evening,
a network's "tonight", the staff's operations; which one a person sees, and the switch between
them for people with several roles. It lives here, at the top of the layers, because the homes
read the line (calls, texts), the volunteers and the rotas together."""
