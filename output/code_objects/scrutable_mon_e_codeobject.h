#ifndef _INCLUDED_scrutable_mon_e_codeobject
#define _INCLUDED_scrutable_mon_e_codeobject

void _run_scrutable_mon_e_codeobject();

void _debugmsg_scrutable_mon_e_codeobject();

#endif
